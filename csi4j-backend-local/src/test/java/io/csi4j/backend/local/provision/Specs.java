package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.LocalBackend;

import io.csi4j.linux.StatFs;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.Topology;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Volume requests and small helpers shared by the local backend's tests. */
final class Specs {

    static final String NODE = "node-1";
    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;

    private Specs() {}

    static VolumeCapability mount(String fsType) {
        return mount(fsType, AccessMode.SINGLE_NODE_WRITER);
    }

    static VolumeCapability mount(String fsType, AccessMode mode) {
        return new VolumeCapability(new VolumeCapability.Mount(fsType, List.of()), mode);
    }

    static VolumeCapability block() {
        return block(AccessMode.SINGLE_NODE_WRITER);
    }

    static VolumeCapability block(AccessMode mode) {
        return new VolumeCapability(new VolumeCapability.Block(), mode);
    }

    static Map<String, String> nodeSegment(String node) {
        return Map.of(LocalBackend.TOPOLOGY_KEY, node);
    }

    /** An ext4 image volume of the default size, anywhere, from nothing; change what a test needs. */
    static Builder named(String name) {
        return new Builder(name);
    }

    static VolumeProvisioner open(Path dir) throws IOException {
        return open(dir, 0);
    }

    static VolumeProvisioner open(Path dir, long maxVolumeBytes) throws IOException {
        return LocalBackend.open(dir, NODE, maxVolumeBytes).provisioner().orElseThrow();
    }

    static long availableBytes(Path dir) throws Exception {
        return StatFs.of(dir).availableBytes();
    }

    static long blockSize(Path dir) throws Exception {
        return Math.max(StatFs.of(dir).blockSize(), 512);
    }

    /** The bytes the filesystem really allocated to {@code file}, from stat(1)'s block count. */
    static long allocatedBytes(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).trim();
        if (!stat.waitFor(10, TimeUnit.SECONDS) || stat.exitValue() != 0) {
            throw new IllegalStateException("stat failed: " + out);
        }
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    static boolean xfsToolsInstalled() {
        return List.of("/usr/sbin", "/sbin", "/usr/bin").stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, "mkfs.xfs")));
    }

    static final class Builder {
        private final String name;
        private CapacityRange capacity = CapacityRange.ANY;
        private List<VolumeCapability> capabilities = List.of(mount(""));
        private final Map<String, String> parameters = new HashMap<>();
        private Topology topology = Topology.ANY;
        private VolumeSource source = VolumeSource.EMPTY;

        private Builder(String name) {
            this.name = name;
        }

        Builder capacity(long required, long limit) {
            capacity = new CapacityRange(required, limit);
            return this;
        }

        Builder required(long bytes) {
            return capacity(bytes, 0);
        }

        Builder capabilities(VolumeCapability... wanted) {
            capabilities = List.of(wanted);
            return this;
        }

        Builder param(String key, String value) {
            parameters.put(key, value);
            return this;
        }

        Builder directory() {
            return param("type", "directory").param("enforceCapacity", "false");
        }

        Builder overcommit() {
            return param("overcommit", "true");
        }

        Builder topology(Topology wanted) {
            topology = wanted;
            return this;
        }

        Builder source(VolumeSource from) {
            source = from;
            return this;
        }

        VolumeSpec build() {
            return new VolumeSpec(name, capacity, capabilities, parameters, topology, source);
        }
    }
}
