package io.csi4j.bench.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Collects call outcomes from many threads at once: one latency histogram per RPC (fixed size,
 * whatever the number of calls, so a long run cannot exhaust a small heap) and error counts by
 * code. Thread-safe and lock-free on the recording path.
 */
public final class Recorder {

    /** Latencies up to an hour are kept to three significant digits. */
    private static final long HIGHEST = TimeUnit.HOURS.toNanos(1);

    private final Map<String, Rpc> rpcs = new ConcurrentHashMap<>();
    private final AtomicInteger order = new AtomicInteger();
    private final LongAdder failures = new LongAdder();

    public void record(CallOutcome outcome) {
        Rpc rpc = rpcs.computeIfAbsent(outcome.rpc(), name -> new Rpc(name, order.getAndIncrement()));
        rpc.calls.increment();
        switch (outcome) {
            case CallOutcome.Succeeded ok -> {
                rpc.ok.increment();
                rpc.latency.recordValue(Math.min(Math.max(ok.nanos(), 1), HIGHEST));
            }
            case CallOutcome.Failed failed -> {
                failures.increment();
                rpc.errors.computeIfAbsent(failed.code().name(), code -> new LongAdder()).increment();
                rpc.examples.putIfAbsent(failed.code().name(), failed.message());
            }
        }
    }

    /** Failed calls so far, of every RPC. */
    public long failures() {
        return failures.sum();
    }

    /** Each RPC's figures, in the order the RPCs were first called; rates over {@code seconds}. */
    public List<RpcStats> summary(double seconds) {
        List<Rpc> sorted = new ArrayList<>(rpcs.values());
        sorted.sort(Comparator.comparingInt(rpc -> rpc.order));
        List<RpcStats> stats = new ArrayList<>();
        for (Rpc rpc : sorted) {
            Map<String, Long> errors = new TreeMap<>();
            rpc.errors.forEach((code, count) -> errors.put(code, count.sum()));
            long calls = rpc.calls.sum();
            Histogram copy = rpc.latency.copy();
            stats.add(new RpcStats(rpc.name, calls, rpc.ok.sum(), errors, rpc.examples,
                    seconds > 0 ? calls / seconds : 0, Latency.of(copy)));
        }
        return stats;
    }

    /** A fresh histogram of nanoseconds with this recorder's range, for callers that keep their own. */
    public static Histogram histogram() {
        return new ConcurrentHistogram(1, HIGHEST, 3);
    }

    private static final class Rpc {
        final String name;
        final int order;
        final LongAdder calls = new LongAdder();
        final LongAdder ok = new LongAdder();
        final Histogram latency = histogram();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final Map<String, String> examples = new ConcurrentHashMap<>();

        Rpc(String name, int order) {
            this.name = name;
            this.order = order;
        }
    }
}
