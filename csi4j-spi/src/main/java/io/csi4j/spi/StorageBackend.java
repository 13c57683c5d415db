package io.csi4j.spi;

import java.util.Optional;
import java.util.Set;

/**
 * A place volumes live: the local disks, an NFS export, ... . Each method states its contract;
 * a front door (the CSI server) validates requests before it calls in, and maps the
 * {@link BackendException}s a backend throws to its own error codes.
 */
public interface StorageBackend {

    /** A short, stable name for logs and metrics, such as {@code local}. */
    String name();

    /**
     * Whether the backend can serve requests right now. Cheap enough to be called every few
     * seconds by a liveness probe; never throws.
     */
    Readiness readiness();

    /**
     * What this backend implements. Front doors advertise exactly these, so a feature is
     * listed only once every operation behind it works.
     */
    Set<Feature> features();

    /** The controller side, when the backend has {@link Feature#PROVISIONING}. */
    default Optional<VolumeProvisioner> provisioner() {
        return Optional.empty();
    }

    /** Snapshots, when the backend has {@link Feature#SNAPSHOTS}. */
    default Optional<VolumeSnapshots> snapshots() {
        return Optional.empty();
    }

    /**
     * Figures for monitoring, from memory: cheap enough for every scrape, never throws.
     * {@link BackendFigures#NONE} when the backend keeps none.
     */
    default BackendFigures figures() {
        return BackendFigures.NONE;
    }

    /** The node side, when the backend has {@link Feature#NODE_VOLUMES}. */
    default Optional<NodeVolumes> node() {
        return Optional.empty();
    }
}
