package io.csi4j.bench.run;

import io.csi4j.bench.stats.Recorder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Runs operations on {@code concurrency} platform threads (the calls block; a thread per caller
 * is what a CO's sidecars look like) until the limit or a stop signal. Operations are numbered
 * by one counter, so each number runs once whatever the thread.
 */
public final class Runner {

    private final int concurrency;
    private final StopSignal stop;

    public Runner(int concurrency, StopSignal stop) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        this.concurrency = concurrency;
        this.stop = stop;
    }

    /** What a phase did: operation counts, wall time and each successful operation's latency. */
    public record Ran(long done, long succeeded, long failed, double seconds, Histogram latency) {}

    /**
     * Runs {@code operation} as {@code <names><index>} until {@code limit}. A failed call fails its
     * operation only; anything else a worker throws stops the phase and is rethrown here.
     */
    public Ran run(Csi csi, String names, Limit limit, Operation operation, Progress progress) {
        AtomicLong next = new AtomicLong();
        LongAdder succeeded = new LongAdder();
        LongAdder failed = new LongAdder();
        Histogram latency = Recorder.histogram();
        AtomicReference<RuntimeException> broken = new AtomicReference<>();
        long start = System.nanoTime();
        Runnable worker = () -> {
            while (!stop.stopped() && broken.get() == null) {
                long index = next.getAndIncrement();
                long began = System.nanoTime();
                if (!limit.admits(index, began, start)) {
                    return;
                }
                try {
                    operation.run(csi, names + index, index);
                    latency.recordValue(Math.max(System.nanoTime() - began, 1));
                    succeeded.increment();
                } catch (CallFailed e) {
                    failed.increment();
                } catch (RuntimeException e) {
                    broken.compareAndSet(null, e);
                    failed.increment();
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            threads.add(Thread.ofPlatform().name("bench-" + i).start(worker));
        }
        for (Thread thread : threads) {
            while (!join(thread)) {
                progress.update(succeeded.sum() + failed.sum(), failed.sum(), (System.nanoTime() - start) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.finish();
        if (broken.get() != null) {
            throw broken.get();
        }
        return new Ran(succeeded.sum() + failed.sum(), succeeded.sum(), failed.sum(), seconds, latency);
    }

    /** Waits up to half a second; whether the thread ended. */
    private static boolean join(Thread thread) {
        try {
            return thread.join(java.time.Duration.ofMillis(500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workers", e);
        }
    }
}
