package io.csi4j.bench.stats;

import java.util.List;
import java.util.Map;

/**
 * Everything one run measured. The measured phase is {@code rpcs} and {@code operations}; the
 * setup (e.g. the volumes a listing runs over) and the cleanup are reported apart, so they never
 * blur the figures of the workload itself.
 *
 * @param operations  the workload's operations (one operation may make several calls)
 * @param rpcs        every RPC the measured phase called
 * @param blocks      {@code fill}: CreateVolume latency per block of volumes, in order; else empty
 * @param counters    workload-specific counts, e.g. {@code entriesPerListing}
 * @param leftBehind  what the cleanup could not remove (see {@code bench cleanup})
 * @param interrupted the run was stopped by a signal before its end
 * @param failure     why the run could not go on (e.g. its setup failed), or empty
 */
public record Report(String workload, String endpoint, String prefix, int concurrency, double seconds,
                     Operations operations, List<RpcStats> rpcs, List<Block> blocks, Map<String, Long> counters,
                     Phase setup, Phase cleanup, long leftBehind, boolean interrupted,
                     String failure) {

    public Report {
        rpcs = List.copyOf(rpcs);
        blocks = List.copyOf(blocks);
        counters = Map.copyOf(counters);
    }

    /** Failed calls of the measured phase. */
    public long errors() {
        return rpcs.stream().mapToLong(RpcStats::failed).sum();
    }

    /** The workload's operations: how many ran, how many failed, their rate and latency. */
    public record Operations(long done, long succeeded, long failed, double perSecond, Latency latency) {}

    /** A phase around the measured one: its calls and how long it took. */
    public record Phase(List<RpcStats> rpcs, double seconds) {

        public static final Phase NONE = new Phase(List.of(), 0);

        public Phase {
            rpcs = List.copyOf(rpcs);
        }

        public long errors() {
            return rpcs.stream().mapToLong(RpcStats::failed).sum();
        }
    }

    /** Latency of the volumes numbered {@code first} to {@code last} (from 1). */
    public record Block(long first, long last, Latency latency) {}
}
