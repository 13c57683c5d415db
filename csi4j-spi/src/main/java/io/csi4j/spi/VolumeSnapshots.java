package io.csi4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Snapshots of a backend's volumes, alone or in consistent groups. Idempotent by name like
 * volumes; a snapshot outlives the volume it was taken of. A call on a volume or snapshot that
 * another call is working on throws {@link OperationPending}.
 */
public interface VolumeSnapshots {

    /**
     * Takes a snapshot of {@code sourceVolumeId}, or returns the one of that name.
     *
     * @throws VolumeNotFound      when the source volume does not exist
     * @throws VolumeAlreadyExists when a snapshot of that name exists of another volume
     * @throws CapacityExhausted   when there is no room for the copy
     */
    Snapshot create(String name, String sourceVolumeId, Map<String, String> parameters);

    /**
     * Deletes a snapshot; not an error when it does not exist.
     *
     * @throws FailedPrecondition when it belongs to a group snapshot (delete the group)
     */
    void delete(String snapshotId);

    Optional<Snapshot> get(String snapshotId);

    /**
     * A page of snapshots, optionally only the one with {@code snapshotId} or those of
     * {@code sourceVolumeId} ("" for no filter).
     *
     * @throws InvalidPageToken when {@code token} was not issued by this backend
     */
    SnapshotPage list(String snapshotId, String sourceVolumeId, int maxEntries, String token);

    /**
     * Snapshots several volumes at one instant (their filesystems frozen together), or returns
     * the group of that name.
     *
     * @throws VolumeNotFound      when a source volume does not exist
     * @throws VolumeAlreadyExists when a group of that name exists of other volumes
     */
    GroupSnapshot createGroup(String name, List<String> sourceVolumeIds, Map<String, String> parameters);

    /**
     * Deletes a group and its snapshots; not an error when it does not exist. The front door has
     * compared {@code snapshotIds} with {@link #getGroup}'s members already (the spec's
     * INVALID_ARGUMENT); the backend's own check is a guard.
     *
     * @throws FailedPrecondition when {@code snapshotIds} are not exactly the group's members
     */
    void deleteGroup(String groupId, List<String> snapshotIds);

    /**
     * The group with this ID. The front door passes no {@code snapshotIds} and compares them itself.
     *
     * @throws FailedPrecondition when {@code snapshotIds} (if any) are not exactly the group's members
     */
    Optional<GroupSnapshot> getGroup(String groupId, List<String> snapshotIds);
}
