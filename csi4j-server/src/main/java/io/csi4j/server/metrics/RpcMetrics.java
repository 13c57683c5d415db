package io.csi4j.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The call metrics: {@code csi4j_rpc_*}. Labels: {@code method} (a CSI RPC name) and {@code code} (a gRPC code). */
public final class RpcMetrics {

    /** Buckets from a millisecond (an in-memory answer) to two minutes (a slow mkfs or copy). */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    private final Histogram duration;
    private final Counter total;
    private final Counter aborted;
    private final Gauge inFlight;

    RpcMetrics(PrometheusRegistry registry) {
        duration = Histogram.builder().name("csi4j_rpc_duration_seconds")
                .help("Duration of CSI calls, by method and gRPC status code")
                .labelNames("method", "code").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        total = Counter.builder().name("csi4j_rpc_total")
                .help("CSI calls finished, by method and gRPC status code")
                .labelNames("method", "code").register(registry);
        aborted = Counter.builder().name("csi4j_rpc_aborted_total")
                .help("CSI calls answered ABORTED because another call held the volume or snapshot, by method")
                .labelNames("method").register(registry);
        inFlight = Gauge.builder().name("csi4j_rpc_in_flight")
                .help("CSI calls running now, by method")
                .labelNames("method").register(registry);
    }

    void started(String method) {
        inFlight.labelValues(method).inc();
    }

    void finished(String method, String code, long nanos) {
        inFlight.labelValues(method).dec();
        total.labelValues(method, code).inc();
        duration.labelValues(method, code).observe(nanos / 1e9);
        // Touched on every call, so each method called has a series from zero: rates and alerts see it.
        var abortedHere = aborted.labelValues(method);
        if (code.equals("ABORTED")) {
            abortedHere.inc();
        }
    }
}
