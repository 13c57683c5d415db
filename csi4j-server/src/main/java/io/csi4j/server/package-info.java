/**
 * The CSI server runtime: {@link io.csi4j.server.CsiServer} serves the Identity, Controller and
 * Node services of one {@link io.csi4j.spi.StorageBackend} on an endpoint, with one logging
 * interceptor and one place that maps backend outcomes to gRPC status codes.
 */
package io.csi4j.server;
