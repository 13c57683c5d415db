package io.csi4j.spi;

import java.nio.file.Path;

/**
 * The node side of a backend: making a volume usable on this node and handing it to workloads.
 * Paths arrive absolute and normalised (the front door checks them). Every method is idempotent:
 * a call for a volume already in the wanted state succeeds, and one that finds the state stale
 * (after a crash or a machine restart) repairs it. A call on a volume that another call is
 * working on throws {@link OperationPending} at once.
 */
public interface NodeVolumes {

    /**
     * Makes the volume ready on this node at {@code request.stagingPath()}: attached, checked,
     * formatted if blank, mounted.
     *
     * @throws VolumeNotFound      when the volume does not exist
     * @throws UseConflict         when it is staged here in an incompatible way
     * @throws FailedPrecondition  when the capability does not fit the volume, or its content is
     *                             not what it should be (another filesystem, unknown data)
     * @throws InvalidParameter    for mount flags or context the backend cannot take
     */
    void stage(StageRequest request);

    /**
     * Undoes {@link #stage}. Succeeds when the volume is not staged, or no longer exists.
     *
     * @throws FailedPrecondition when the volume is still published on this node
     */
    void unstage(String volumeId, Path stagingPath);

    /**
     * Makes the volume visible at {@code request.targetPath()}. For a volume whose context asks for
     * an ephemeral inline volume, creates it first.
     *
     * @throws VolumeNotFound      when the volume does not exist
     * @throws FailedPrecondition  when it is not staged, or the capability does not fit it
     * @throws UseConflict         when it is published at that target in an incompatible way
     */
    void publish(PublishRequest request);

    /**
     * Undoes {@link #publish}, deleting an ephemeral volume with its data. Succeeds when nothing
     * is published at the target.
     */
    void unpublish(String volumeId, Path targetPath);

    /**
     * Usage and health of the volume published or staged at {@code volumePath}.
     *
     * @throws VolumeNotFound when no volume of this backend is at that path
     */
    VolumeUsage usage(String volumeId, Path volumePath);

    /**
     * Makes the node's view of a grown volume catch up: the device's size, the filesystem on it.
     * Returns the capacity now usable.
     *
     * @throws VolumeNotFound when no volume of this backend is at {@code volumePath}
     */
    default long expand(String volumeId, Path volumePath, CapacityRange range) {
        throw new FailedPrecondition("this backend's volumes cannot grow on the node");
    }

    /** The most volumes this node can hold at once, or 0 for no fixed limit. */
    long maxVolumes();
}
