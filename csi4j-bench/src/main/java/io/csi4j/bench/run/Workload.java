package io.csi4j.bench.run;

import io.csi4j.bench.stats.Report;
import java.util.List;
import java.util.Map;

/**
 * A benchmark workload: an {@link Operation} repeated under load, with an optional setup whose
 * calls are reported apart from the measured ones. What operations and setup make is journaled
 * by {@link Csi} and removed by the {@link Cleaner} unless the operation removed it itself.
 */
public interface Workload extends Operation {

    /** The workload's command name, e.g. {@code create-delete}. */
    String name();

    /**
     * Makes what the operations need, naming it {@code <names><n>}; throws when that fails, which
     * ends the run (after cleanup).
     */
    default void prepare(Csi csi, Runner runner, String names) {}

    /** Called once the setup and warm-up are over, before the measured phase starts. */
    default void measuring() {}

    /** {@code fill}: latency per block of volumes. */
    default List<Report.Block> blocks() {
        return List.of();
    }

    /** Workload-specific counts for the report. */
    default Map<String, Long> counters() {
        return Map.of();
    }
}
