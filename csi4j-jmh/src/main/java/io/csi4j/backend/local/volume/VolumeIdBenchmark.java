package io.csi4j.backend.local.volume;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Volume IDs: made for every new volume, parsed on every call that names one. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VolumeIdBenchmark {

    private final String id = LocalVolumeId.random("node-1.example.com").toString();

    @Benchmark
    public Object parse() {
        return LocalVolumeId.parse(id);
    }

    @Benchmark
    public String encode() {
        return LocalVolumeId.random("node-1.example.com").toString();
    }
}
