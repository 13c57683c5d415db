package io.csi4j.bench.workload;

import io.csi4j.bench.run.Csi;
import io.csi4j.bench.run.Workload;
import io.csi4j.bench.stats.Latency;
import io.csi4j.bench.stats.Recorder;
import io.csi4j.bench.stats.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * CreateVolume of N volumes that are kept until the run ends (the cleanup deletes them), with
 * latency reported per block of volumes, so that a driver whose cost grows with the number of
 * volumes shows it. Blocks follow operation numbers: with concurrency, a block holds the
 * volumes numbered in it, whichever thread made them.
 */
public final class Fill implements Workload {

    private final int blockSize;
    private final Map<Long, Histogram> blocks = new ConcurrentHashMap<>();
    private final AtomicLong operations = new AtomicLong();

    public Fill(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("the block size must be at least 1");
        }
        this.blockSize = blockSize;
    }

    @Override
    public String name() {
        return "fill";
    }

    @Override
    public void measuring() {
        blocks.clear(); // the warm-up's volumes count as volumes, not as samples
        operations.set(0);
    }

    @Override
    public void run(Csi csi, String name, long index) {
        operations.accumulateAndGet(index + 1, Math::max);
        long start = System.nanoTime();
        csi.createVolume(name);
        long nanos = Math.max(System.nanoTime() - start, 1);
        blocks.computeIfAbsent(index / blockSize, block -> Recorder.histogram()).recordValue(nanos);
    }

    @Override
    public List<Report.Block> blocks() {
        List<Report.Block> list = new ArrayList<>();
        blocks.keySet().stream().sorted().forEach(block -> list.add(new Report.Block(block * blockSize + 1,
                Math.min((block + 1) * blockSize, operations.get()), Latency.of(blocks.get(block).copy()))));
        return list;
    }
}
