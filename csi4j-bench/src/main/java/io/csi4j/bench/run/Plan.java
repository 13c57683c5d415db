package io.csi4j.bench.run;

/**
 * How to run a workload.
 *
 * @param prefix start of every name the run gives (volumes, snapshots, paths) and of its journal
 * @param warmup operations run first and not counted
 */
public record Plan(String endpoint, String prefix, Limit limit, int concurrency, long warmup) {

    public Plan {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up must not be negative");
        }
    }
}
