package io.csi4j.bench.stats;

import org.HdrHistogram.Histogram;

/** Latency percentiles in milliseconds over {@code count} samples (all zero when there were none). */
public record Latency(long count, double p50, double p90, double p99, double max) {

    public static final Latency NONE = new Latency(0, 0, 0, 0, 0);

    /** The percentiles of a histogram of nanoseconds. */
    public static Latency of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return NONE;
        }
        return new Latency(nanos.getTotalCount(), millis(nanos.getValueAtPercentile(50)),
                millis(nanos.getValueAtPercentile(90)), millis(nanos.getValueAtPercentile(99)), millis(nanos.getMaxValue()));
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }
}
