/** Benchmarks of the server's request conversion, in its package so that they reach what it keeps to itself. */
package io.csi4j.server.convert;
