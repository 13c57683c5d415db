/**
 * Operability: Prometheus metrics of the calls, the backend's figures and the system tools, and the
 * HTTP endpoint that serves them with {@code /healthz} and {@code /readyz}. Backends and the Linux
 * layer know nothing of Prometheus: they hand over plain figures ({@link io.csi4j.spi.BackendFigures})
 * and tool runs, which the driver wires to {@link DriverMetrics}.
 */
package io.csi4j.server.metrics;
