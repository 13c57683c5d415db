package io.csi4j.driver;

import io.csi4j.linux.ToolRuns;
import io.csi4j.server.metrics.ToolMetrics;

/** Wires the Linux layer's tool runs to the metrics: the one place that knows both. */
record ToolListener(ToolMetrics metrics) implements ToolRuns {

    @Override
    public void finished(String tool, Outcome outcome, long nanos) {
        metrics.toolFinished(tool, outcome.name(), nanos);
    }

    @Override
    public void loopAttachFailed() {
        metrics.loopAttachFailed();
    }
}
