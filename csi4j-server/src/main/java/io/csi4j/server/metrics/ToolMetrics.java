package io.csi4j.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The system-tool layer: how long mkfs, fsck, resize and mount.nfs took, by tool and outcome, and
 * loop devices that could not be attached. Fed by whoever runs them (the driver wires the Linux
 * layer's listener here); tool names are the binaries' own, a small fixed set.
 */
public final class ToolMetrics {

    private static final double[] BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};

    private final Histogram duration;
    private final Counter loopFailures;

    ToolMetrics(PrometheusRegistry registry) {
        duration = Histogram.builder().name("csi4j_tool_duration_seconds")
                .help("Duration of system tool runs (mkfs, fsck, resize, mount.nfs), by tool and outcome")
                .labelNames("tool", "outcome").classicOnly().classicUpperBounds(BUCKETS).register(registry);
        loopFailures = Counter.builder().name("csi4j_loop_attach_failures_total")
                .help("Loop devices that could not be attached to a volume's image")
                .register(registry);
    }

    /** A tool run ended: {@code outcome} is {@code ok}, {@code failed}, {@code timed_out} or {@code error}. */
    public void toolFinished(String tool, String outcome, long nanos) {
        duration.labelValues(tool, outcome).observe(nanos / 1e9);
    }

    public void loopAttachFailed() {
        loopFailures.inc();
    }
}
