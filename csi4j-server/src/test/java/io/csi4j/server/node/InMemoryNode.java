package io.csi4j.server.node;

import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeUsage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixture for the Node service's protocol handling: filesystem or block volumes of a fixed
 * size, and where each is staged and published, in maps. It keeps the {@link NodeVolumes}
 * contract's order of outcomes (an unknown volume is {@link VolumeNotFound} before anything about
 * the volume) and records every path the server handed in, so tests can check that none was
 * malformed. Nothing touches the filesystem.
 */
final class InMemoryNode implements NodeVolumes {

    static final long SIZE = 1L << 30;

    /** A volume: raw block or filesystem; where it is staged and published. */
    private record Entry(boolean block, Optional<Path> staging, List<Path> targets) {}

    private final Map<String, Entry> volumes = new ConcurrentHashMap<>();
    private final List<Path> paths = new ArrayList<>();

    /** Adds a filesystem ({@code block} false) or block volume, staged and published where given. */
    void add(String volumeId, boolean block, Path staging, Path... targets) {
        volumes.put(volumeId, new Entry(block, Optional.ofNullable(staging), List.of(targets)));
    }

    /** Every path the server handed in, call by call. */
    synchronized List<Path> paths() {
        return List.copyOf(paths);
    }

    @Override
    public synchronized void stage(StageRequest request) {
        paths.add(request.stagingPath());
        fits(known(request.volumeId()), request.volumeId(), request.capability());
    }

    @Override
    public synchronized void unstage(String volumeId, Path stagingPath) {
        paths.add(stagingPath);
    }

    @Override
    public synchronized void publish(PublishRequest request) {
        request.stagingPath().ifPresent(paths::add);
        paths.add(request.targetPath());
        Entry entry = known(request.volumeId());
        fits(entry, request.volumeId(), request.capability());
        if (!entry.staging().equals(request.stagingPath())) {
            throw new FailedPrecondition("volume " + request.volumeId() + " is not staged at "
                    + request.stagingPath().orElseThrow());
        }
    }

    @Override
    public synchronized void unpublish(String volumeId, Path targetPath) {
        paths.add(targetPath);
    }

    @Override
    public synchronized VolumeUsage usage(String volumeId, Path volumePath) {
        paths.add(volumePath);
        at(volumeId, volumePath);
        return new VolumeUsage(Optional.of(new VolumeUsage.Counts(SIZE, SIZE, 0)), Optional.empty(), false, "ok");
    }

    @Override
    public synchronized long expand(String volumeId, Path volumePath, CapacityRange range) {
        paths.add(volumePath);
        at(volumeId, volumePath);
        if (range.requiredBytes() > SIZE) {
            throw new CapacityOutOfRange("volume " + volumeId + " has " + SIZE + " bytes; grow it with "
                    + "ControllerExpandVolume first");
        }
        return SIZE;
    }

    @Override
    public long maxVolumes() {
        return 0;
    }

    private Entry known(String volumeId) {
        Entry entry = volumes.get(volumeId);
        if (entry == null) {
            throw new VolumeNotFound("volume " + volumeId + " does not exist");
        }
        return entry;
    }

    private void at(String volumeId, Path path) {
        Entry entry = known(volumeId);
        if (!entry.staging().equals(Optional.of(path)) && !entry.targets().contains(path)) {
            throw new VolumeNotFound("volume " + volumeId + " is neither staged nor published at " + path);
        }
    }

    /** Single-node volumes of one access type, as the local backend's. */
    private static void fits(Entry entry, String volumeId, VolumeCapability capability) {
        if (capability.mode().multiNode()) {
            throw new FailedPrecondition("volume " + volumeId + " lives on one node: access mode "
                    + capability.mode() + " is not supported");
        }
        if (capability.isBlock() != entry.block()) {
            throw new FailedPrecondition("volume " + volumeId + " is a " + (entry.block() ? "raw block" : "filesystem")
                    + " volume");
        }
    }
}
