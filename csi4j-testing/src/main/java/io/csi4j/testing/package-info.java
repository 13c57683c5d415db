/**
 * Test support: the real driver in its own JVM on a unix socket in a temporary directory, with a
 * real gRPC client, its log captured, and everything removed afterwards even when a test fails.
 */
package io.csi4j.testing;
