package io.csi4j.backend.local.store;

import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A volume record written as CreateVolume and DeleteVolume write it (temporary file, fsync,
 * rename, directory fsync), and the same record only serialised, to tell the CPU's share from the
 * disk's. The directory is {@code -Dcsi4j.jmh.dir} (default: the JVM's temporary directory):
 * point it at the filesystem whose fsync cost matters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RecordWriteBenchmark {

    private Path dir;
    private RecordStore<VolumeRecord> store;
    private final VolumeRecord record = new VolumeRecord(LocalVolumeId.random("node-1"),
            "pvc-0b6a1f0e-3a5c-4d0b-9a59-3d2f1c4e5a6b", VolumeRecord.READY, VolumeType.IMAGE, 1L << 30, false, "ext4",
            1L << 30, true, 0, Map.of("type", "image", "csi.storage.k8s.io/pvc/name", "data"));

    @Setup(Level.Trial)
    public void directory() throws IOException {
        dir = Files.createTempDirectory(Path.of(System.getProperty("csi4j.jmh.dir", System.getProperty("java.io.tmpdir"))),
                "csi4j-jmh-records-");
        store = RecordStore.volumes(dir);
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    @Benchmark
    public void save() {
        store.save(record);
    }

    @Benchmark
    public Properties serialise() {
        return record.toProperties();
    }

    @Benchmark
    public Object parseParameters() {
        return LocalParameters.parse(record.parameters());
    }
}
