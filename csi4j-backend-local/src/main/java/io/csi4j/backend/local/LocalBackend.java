package io.csi4j.backend.local;

import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.StatFs;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.Feature;
import io.csi4j.spi.Readiness;
import io.csi4j.spi.StorageBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/** Volumes under one data directory on this node. */
public final class LocalBackend implements StorageBackend {

    private final Path dataDir;

    /** @param dataDir an absolute path; it may go missing later, which makes the backend not ready */
    public LocalBackend(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (!dataDir.isAbsolute()) {
            throw new IllegalArgumentException("the data directory must be an absolute path: " + dataDir);
        }
        this.dataDir = dataDir.normalize();
    }

    @Override
    public String name() {
        return "local";
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Ready when the data directory is a directory on a writable filesystem that we may write to.
     * No file is written, so probing every few seconds costs no disk I/O.
     */
    @Override
    public Readiness readiness() {
        if (!Files.isDirectory(dataDir)) {
            return Readiness.notReady("data directory " + dataDir + " does not exist or is not a directory");
        }
        FileSystemStats stats;
        try {
            stats = StatFs.of(dataDir);
        } catch (SyscallException e) {
            return Readiness.notReady("data directory " + dataDir + " cannot be examined: " + e.getMessage());
        }
        if (stats.readOnly()) {
            return Readiness.notReady("data directory " + dataDir + " is on a read-only filesystem");
        }
        if (!Files.isWritable(dataDir)) {
            return Readiness.notReady("data directory " + dataDir + " is not writable by the driver");
        }
        return Readiness.ready();
    }

    @Override
    public Set<Feature> features() {
        return Set.of();
    }
}
