package io.csi4j.spi;

import java.util.List;
import java.util.Optional;

/**
 * The controller side of a backend: volumes created, found, listed and deleted. Every method is
 * idempotent, and a call on a volume that another call is working on throws
 * {@link OperationPending} at once rather than waiting.
 */
public interface VolumeProvisioner {

    /**
     * Creates the volume {@code spec} names, or returns it when it exists with compatible
     * properties.
     *
     * @throws VolumeAlreadyExists when a volume of that name exists with other properties
     * @throws InvalidParameter    for parameters or capabilities the backend cannot serve
     * @throws CapacityOutOfRange  when the size asked for cannot be given
     * @throws CapacityExhausted   when there is no room, or the topology excludes every place
     */
    Volume create(VolumeSpec spec);

    /**
     * Deletes a volume and its data. Not an error when the volume does not exist.
     *
     * @throws FailedPrecondition when the volume is in use or belongs to another place
     */
    void delete(String volumeId);

    /** The volume with this ID, if it exists. */
    Optional<VolumeStatus> get(String volumeId);

    /**
     * A page of at most {@code maxEntries} volumes (0: the backend's choice), starting where
     * {@code token} (from a previous page, or "" for the first) says.
     *
     * @throws InvalidPageToken when {@code token} was not issued by this backend
     */
    VolumePage list(int maxEntries, String token);

    /**
     * The capabilities among {@code wanted} that the volume supports; all of them, or the call
     * reports why not.
     *
     * @return empty when every capability is supported, else the reason one is not
     * @throws VolumeNotFound when the volume does not exist
     */
    Optional<String> unsupported(String volumeId, List<VolumeCapability> wanted);

    /** Room for new volumes with the given properties. */
    CapacityReport capacity(CapacityQuery query);

    /**
     * Grows a volume to at least {@code range}'s required bytes (within its limit). Asking for the
     * current size or less than it (rounded as creation rounds) succeeds and changes nothing.
     *
     * @throws VolumeNotFound      when the volume does not exist
     * @throws CapacityOutOfRange  when the volume would have to shrink, or cannot grow that far
     * @throws CapacityExhausted   when there is no room for the growth
     */
    default Expansion expand(String volumeId, CapacityRange range) {
        throw new FailedPrecondition("this backend's volumes cannot grow");
    }
}
