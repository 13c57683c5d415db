/**
 * Where a driver listens: {@code unix:///abs/path} or {@code tcp://host:port}, and the care a
 * unix socket file needs (a stale file is removed, a live one is never taken over).
 */
package io.csi4j.server.endpoint;
