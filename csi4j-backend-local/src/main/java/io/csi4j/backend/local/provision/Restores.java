package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What volumes made from snapshots and clones need of the snapshot side. Defined here and answered
 * there, so that the snapshot package depends on this one and never the other way round.
 */
public interface Restores {

    /** The snapshot with this ID on this node, if any. */
    Optional<SnapshotRecord> record(String snapshotId);

    /** Takes the snapshot's lock for the length of a restore, so it is not deleted under it. */
    KeyLocks.Held lock(SnapshotRecord snapshot);

    /** Runs {@code work} (a clone's copy) with the volume's filesystem frozen if it is mounted here. */
    <T> T frozenWhile(VolumeRecord volume, Supplier<T> work);
}
