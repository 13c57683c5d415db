package io.csi4j.backend.nfs;

import io.csi4j.backend.nfs.controller.NfsProvisioner;
import io.csi4j.backend.nfs.libnfs.NfsClient;
import io.csi4j.backend.nfs.node.NfsNode;
import io.csi4j.backend.nfs.volume.SharedRoots;
import io.csi4j.spi.BackendFigures;
import io.csi4j.spi.Feature;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.Readiness;
import io.csi4j.spi.StorageBackend;
import io.csi4j.spi.VolumeProvisioner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Volumes as subdirectories of shares: NFS exports (the controller works through libnfs, no mount)
 * or paths mounted on every node. No topology: every node reaches every share.
 */
public final class NfsBackend implements StorageBackend, AutoCloseable {

    /**
     * @param serverTimeout how long one NFS call of the controller may wait for the server
     * @param mountDeadline how long an NFS mount may take before it is abandoned
     * @param mountRoot     where the controller mounts exports that libnfs cannot reach (no NFSv3);
     *                      empty: it never mounts
     * @param sharedRoots   the directories under which sharedPath volumes may live
     * @param nodeScratch   a directory of the driver's own where a node's mount.nfs mounts before the
     *                      mount is put onto the checked staging path
     */
    public record Options(Duration serverTimeout, Duration mountDeadline, Optional<Path> mountRoot,
                          SharedRoots sharedRoots, Path nodeScratch) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(30), Duration.ofSeconds(60), Optional.empty(),
                SharedRoots.NONE, Path.of("/var/lib/csi4j/nfs-node"));
    }

    private final NfsProvisioner provisioner;
    private final NfsNode node;

    private NfsBackend(NfsProvisioner provisioner, NfsNode node) {
        this.provisioner = provisioner;
        this.node = node;
    }

    public static NfsBackend open(Options options) {
        return new NfsBackend(new NfsProvisioner(options.serverTimeout(), options.mountDeadline(), options.mountRoot(),
                options.sharedRoots(), Clock.systemUTC()),
                new NfsNode(options.mountDeadline(), options.serverTimeout(), options.sharedRoots(),
                        options.nodeScratch()));
    }

    @Override
    public String name() {
        return "nfs";
    }

    /** Ready when libnfs loads; shares are the StorageClasses' to name, so none is probed here. */
    @Override
    public Readiness readiness() {
        return NfsClient.unavailableReason().map(Readiness::notReady).orElse(Readiness.ready());
    }

    /** The exports the controller worked on, by whether they answered; the rest lives on the servers. */
    @Override
    public BackendFigures figures() {
        long[] exports = provisioner.exportReachability();
        return new BackendFigures(Map.of(), Map.of(), BackendFigures.UNKNOWN, BackendFigures.UNKNOWN,
                BackendFigures.UNKNOWN, BackendFigures.UNKNOWN, BackendFigures.UNKNOWN, BackendFigures.UNKNOWN, Map.of(),
                exports[0], exports[1]);
    }

    @Override
    public Set<Feature> features() {
        return Set.of(Feature.PROVISIONING, Feature.NODE_VOLUMES, Feature.STAGING, Feature.VOLUME_STATS,
                Feature.SINGLE_NODE_MULTI_WRITER, Feature.CLONING);
    }

    @Override
    public Optional<VolumeProvisioner> provisioner() {
        return Optional.of(provisioner);
    }

    @Override
    public Optional<NodeVolumes> node() {
        return Optional.of(node);
    }

    @Override
    public void close() {
        provisioner.close();
    }
}
