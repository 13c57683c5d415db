package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.SnapshotNotFound;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a new volume is made from: nothing, a snapshot (restore) or another volume (clone). The
 * source is of the new volume's kind and held (locked) while it is copied, so it is not deleted
 * under the copy; a clone's filesystem is frozen for it by the snapshot side ({@link Restores}).
 */
final class Sources {

    private final String node;
    private final KeyLocks locks;
    private final VolumeIndex volumes;
    private final VolumeCopies copies;
    private volatile Optional<Restores> restores = Optional.empty();

    Sources(String node, KeyLocks locks, VolumeIndex volumes, VolumeCopies copies) {
        this.node = node;
        this.locks = locks;
        this.volumes = volumes;
        this.copies = copies;
    }

    void restoreFrom(Restores snapshots) {
        this.restores = Optional.of(snapshots);
    }

    /**
     * A source, held until closed.
     *
     * @param data where the source's data is, empty for an empty volume
     */
    record Source(Optional<Path> data, long minimumBytes, String describe, UnaryOperator<VolumeRecord> filler,
                  KeyLocks.Held lock) implements AutoCloseable {

        VolumeRecord fill(VolumeRecord record) {
            return filler.apply(record);
        }

        @Override
        public void close() {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** How a record names what a volume was made from. */
    static String nameOf(VolumeSource source) {
        return switch (source) {
            case VolumeSource.Empty empty -> "";
            case VolumeSource.FromSnapshot(String id) -> "snapshot:" + id;
            case VolumeSource.FromVolume(String id) -> "volume:" + id;
        };
    }

    Source hold(VolumeSource source, LocalParameters parameters, Access access) {
        return switch (source) {
            case VolumeSource.Empty empty -> new Source(Optional.empty(), 0, "", r -> r, null);
            case VolumeSource.FromSnapshot(String snapshotId) -> snapshot(snapshotId, parameters, access);
            case VolumeSource.FromVolume(String volumeId) -> volume(volumeId, parameters, access);
        };
    }

    private Source snapshot(String snapshotId, LocalParameters parameters, Access access) {
        SnapshotRecord snapshot = restores.flatMap(s -> s.record(snapshotId)).orElseThrow(
                () -> new SnapshotNotFound("snapshot " + snapshotId + " does not exist on node " + node));
        sameKind("snapshot " + snapshotId, snapshot.type(), snapshot.block(), snapshot.fsType(), parameters, access);
        KeyLocks.Held held = restores.get().lock(snapshot);
        if (restores.get().record(snapshotId).isEmpty()) { // deleted before we held it
            held.close();
            throw new SnapshotNotFound("snapshot " + snapshotId + " does not exist on node " + node);
        }
        Path path = copies.data(snapshot);
        return new Source(Optional.of(path), snapshot.sizeBytes(), " from snapshot " + snapshotId,
                r -> copies.fill(r, path), held);
    }

    private Source volume(String volumeId, LocalParameters parameters, Access access) {
        LocalVolumeId sourceId = LocalVolumeId.parse(volumeId).filter(v -> v.node().equals(node))
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on node " + node));
        KeyLocks.Held held = locks.acquire("id:" + sourceId.uuid(), "volume " + volumeId);
        try {
            VolumeRecord original = volumes.get(sourceId.uuid())
                    .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist"));
            sameKind("volume " + volumeId, original.type(), original.block(), original.fsType(), parameters, access);
            if (original.formatting()) {
                // A clone would carry a torn mkfs without the mark that lets a stage make it again.
                throw new FailedPrecondition("volume " + volumeId + ": its first format did not finish; stage it once first");
            }
            Path path = copies.data(original);
            return new Source(Optional.of(path), original.capacityBytes(), " as a clone of " + volumeId,
                    r -> restores.map(s -> s.frozenWhile(original, () -> copies.fill(r, path)))
                            .orElseGet(() -> copies.fill(r, path)), held);
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** A volume is made from a source of its own kind: same type, same access, same filesystem. */
    private static void sameKind(String what, VolumeType type, boolean block, String fsType, LocalParameters parameters,
                                 Access access) {
        if (type != parameters.type()) {
            throw new InvalidParameter(what + " is of a " + type.parameterValue() + " volume; the new volume would be "
                    + parameters.type().parameterValue());
        }
        if (block != access.block() || !fsType.equals(access.fsType())) {
            throw new InvalidParameter(what + " holds " + (block ? "a raw block volume" : "a " + fsType + " filesystem")
                    + "; the new volume asks for " + (access.block() ? "raw block" : "a " + access.fsType() + " filesystem"));
        }
    }
}
