package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.StatFs;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeUsage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * NodeGetVolumeStats: what a staged or published volume holds (bytes and inodes, from statfs, or
 * the device's size for raw block) and whether it is healthy, i.e. the kernel still shows it as
 * recorded and its filesystem has not gone read-only by itself.
 */
final class VolumeHealth {

    private final NodeSide side;
    private final EphemeralVolumes ephemeral;

    VolumeHealth(NodeSide side, EphemeralVolumes ephemeral) {
        this.side = side;
        this.ephemeral = ephemeral;
    }

    VolumeUsage usage(String volumeId, Path requestedPath) {
        Path volumePath = requestedPath; // as given: through a link is not where the volume is
        LocalVolumeId id = LocalVolumeId.parse(volumeId)
                .filter(parsed -> parsed.node().equals(side.provisioner().node()))
                .or(() -> ephemeral.uuid(volumeId).flatMap(side.provisioner()::record).map(VolumeRecord::id))
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on this node"));
        NodeState state = side.states().get(id.uuid());
        boolean staged = state != null && state.staging().filter(volumePath::equals).isPresent();
        Optional<NodeState.Publication> publication = state == null ? Optional.empty() : state.publication(volumePath);
        if (!staged && publication.isEmpty()) {
            throw new VolumeNotFound("volume " + volumeId + " is neither staged nor published at " + volumePath);
        }
        Optional<VolumeRecord> found = side.provisioner().record(id.uuid());
        if (found.isEmpty()) {
            return new VolumeUsage(Optional.empty(), Optional.empty(), true, "the volume no longer exists");
        }
        VolumeRecord record = found.get();
        Optional<String> problem = staged ? side.kernel().stagingProblem(record, state)
                : side.kernel().publicationProblem(record, publication.get());
        if (staged ? state.block() : publication.get().block()) {
            long size = side.kernel().loops(record).stream().findFirst().map(Kernel::size).orElse(record.capacityBytes());
            return new VolumeUsage(Optional.of(new VolumeUsage.Counts(size, -1, -1)), Optional.empty(),
                    problem.isPresent(), problem.orElse("the block device is attached"));
        }
        boolean wantedReadOnly = staged ? state.mode().contains("READER") : publication.get().readOnly();
        // A directory without a quota reports its whole filesystem: say so rather than let the figures pass for its own.
        String healthy = "the volume is mounted and its filesystem writable" + (record.capacityEnforced() ? ""
                : "; its capacity is not enforced: the figures are those of the data directory's filesystem");
        return filesystemUsage(volumePath, problem, wantedReadOnly, healthy);
    }

    private static VolumeUsage filesystemUsage(Path volumePath, Optional<String> problem, boolean wantedReadOnly,
                                               String healthy) {
        if (problem.isPresent() && Kernel.mountAt(volumePath).isEmpty()) {
            return new VolumeUsage(Optional.empty(), Optional.empty(), true, problem.get()); // statfs would see another filesystem
        }
        FileSystemStats fs;
        try {
            fs = StatFs.of(volumePath);
        } catch (SyscallException e) {
            return new VolumeUsage(Optional.empty(), Optional.empty(), true, "the volume cannot be examined: " + e.getMessage());
        }
        if (problem.isEmpty() && fs.readOnly() && !wantedReadOnly) {
            problem = Optional.of("the filesystem is read-only although mounted for writing: errors made the kernel "
                    + "remount it read-only");
        }
        return new VolumeUsage(
                Optional.of(new VolumeUsage.Counts(fs.totalBytes(), fs.availableBytes(), fs.usedBytes())),
                Optional.of(new VolumeUsage.Counts(fs.totalInodes(), fs.freeInodes(), fs.usedInodes())),
                problem.isPresent(), problem.orElse(healthy));
    }
}
