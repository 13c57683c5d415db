package io.csi4j.backend.local;

import io.csi4j.backend.local.node.Kernel;
import io.csi4j.backend.local.node.LocalNode;
import io.csi4j.backend.local.provision.CapacityEnforcer;
import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.snapshot.LocalSnapshots;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalVolumeId;

import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.StatFs;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.Feature;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.Readiness;
import io.csi4j.spi.StorageBackend;
import io.csi4j.spi.VolumeProvisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Volumes under one data directory on this node. */
public final class LocalBackend implements StorageBackend {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalBackend.class);

    /** The topology key of node-local volumes: a volume with this segment lives on that node. */
    public static final String TOPOLOGY_KEY = io.csi4j.spi.Topology.NODE_KEY;

    private static final java.time.Duration ALLOCATION_REFRESH = java.time.Duration.ofSeconds(30);

    private final Path dataDir;
    private final LocalProvisioner provisioner;
    private final LocalNode node;
    private final LocalSnapshots snapshots;

    private LocalBackend(Path dataDir, LocalProvisioner provisioner, LocalNode node, LocalSnapshots snapshots) {
        this.dataDir = dataDir;
        this.provisioner = provisioner;
        this.node = node;
        this.snapshots = snapshots;
    }

    /**
     * How the node side behaves.
     *
     * @param ephemeralDefaultBytes the size of an ephemeral inline volume whose attributes name none
     * @param ephemeralMaxBytes     the largest ephemeral inline volume a pod may ask for
     * @param maxVolumes            the most volumes reported to the CO for this node, 0 for no limit
     */
    public record NodeOptions(long ephemeralDefaultBytes, long ephemeralMaxBytes, long maxVolumes) {

        public static final NodeOptions DEFAULTS = new NodeOptions(1L << 30, 16L << 30, 0);

        public NodeOptions {
            if (ephemeralDefaultBytes <= 0 || ephemeralMaxBytes < ephemeralDefaultBytes) {
                throw new IllegalArgumentException("the default ephemeral volume size must be positive and at most "
                        + "the maximum (" + ephemeralDefaultBytes + " > " + ephemeralMaxBytes + ")");
            }
            if (maxVolumes < 0) {
                throw new IllegalArgumentException("the maximum number of volumes must not be negative");
            }
        }
    }

    /** Opens the backend with the node side's defaults; see {@link #open(Path, String, long, NodeOptions)}. */
    public static LocalBackend open(Path dataDir, String nodeId, long maxVolumeBytes) throws IOException {
        return open(dataDir, nodeId, maxVolumeBytes, NodeOptions.DEFAULTS);
    }

    /**
     * Opens the backend on an existing data directory: lays out its subdirectories, loads the
     * volume records and repairs what a crash left half done.
     *
     * @param dataDir        an absolute path; it may go missing later, which makes the backend not ready
     * @param nodeId         this node's ID, which owns every volume made here
     * @param maxVolumeBytes the largest volume offered, or 0 for the data directory's size
     */
    public static LocalBackend open(Path dataDir, String nodeId, long maxVolumeBytes, NodeOptions nodeOptions)
            throws IOException {
        Objects.requireNonNull(dataDir, "dataDir");
        if (!dataDir.isAbsolute()) {
            throw new IllegalArgumentException("the data directory must be an absolute path: " + dataDir);
        }
        if (LocalVolumeId.parse("l1." + "0".repeat(32) + "." + nodeId).isEmpty()) {
            throw new IllegalArgumentException("invalid node ID '" + nodeId + "' for local volumes");
        }
        Path root = dataDir.normalize();
        LocalLayout layout = LocalLayout.create(root);
        CapacityEnforcer enforcer = CapacityEnforcer.detect(root, StatFs.of(root));
        LOG.info("directory volumes on {}: capacity {}", root, enforcer.describe());
        Kernel kernel = new Kernel(layout);
        LocalProvisioner provisioner = new LocalProvisioner(nodeId, layout, maxVolumeBytes, enforcer, kernel::inUse);
        provisioner.recover();
        LocalNode node = new LocalNode(provisioner, kernel, layout, nodeOptions.ephemeralDefaultBytes(),
                nodeOptions.ephemeralMaxBytes(), nodeOptions.maxVolumes());
        node.load();
        LocalSnapshots snapshots = new LocalSnapshots(provisioner, layout, node::mountedFilesystem);
        snapshots.recover();
        provisioner.restoreFrom(snapshots);
        // Room accounting learns what volumes have written, off the call path.
        Thread.ofPlatform().daemon().name("csi4j-allocation").start(() -> {
            while (true) {
                try {
                    Thread.sleep(ALLOCATION_REFRESH);
                    provisioner.refreshAllocation();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("refreshing volume allocation failed: {}", e.toString());
                }
            }
        });
        return new LocalBackend(root, provisioner, node, snapshots);
    }

    @Override
    public String name() {
        return "local";
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Ready when the data directory is a directory on a writable filesystem that we may write to.
     * No file is written, so probing every few seconds costs no disk I/O.
     */
    @Override
    public Readiness readiness() {
        if (!Files.isDirectory(dataDir)) {
            return Readiness.notReady("data directory " + dataDir + " does not exist or is not a directory");
        }
        FileSystemStats stats;
        try {
            stats = StatFs.of(dataDir);
        } catch (SyscallException e) {
            return Readiness.notReady("data directory " + dataDir + " cannot be examined: " + e.getMessage());
        }
        if (stats.readOnly()) {
            return Readiness.notReady("data directory " + dataDir + " is on a read-only filesystem");
        }
        if (!Files.isWritable(dataDir)) {
            return Readiness.notReady("data directory " + dataDir + " is not writable by the driver");
        }
        return Readiness.ready();
    }

    /** From memory, plus one statfs of the data directory: no scan, whatever the number of volumes. */
    @Override
    public io.csi4j.spi.BackendFigures figures() {
        long available = io.csi4j.spi.BackendFigures.UNKNOWN;
        long total = io.csi4j.spi.BackendFigures.UNKNOWN;
        try {
            FileSystemStats stats = StatFs.of(dataDir);
            available = stats.availableBytes();
            total = stats.totalBytes();
        } catch (SyscallException e) {
            // unknown: readiness says why
        }
        return new io.csi4j.spi.BackendFigures(provisioner.volumesByKind(), snapshots.countsByKind(),
                provisioner.promisedBytes(), provisioner.writtenBytes(), available, total, node.stagedCount(),
                node.publishedCount(), provisioner.abnormalByReason(), io.csi4j.spi.BackendFigures.UNKNOWN,
                io.csi4j.spi.BackendFigures.UNKNOWN);
    }

    @Override
    public Set<Feature> features() {
        return Set.of(Feature.PROVISIONING, Feature.VOLUME_TOPOLOGY, Feature.NODE_VOLUMES, Feature.STAGING,
                Feature.VOLUME_STATS, Feature.SINGLE_NODE_MULTI_WRITER, Feature.SNAPSHOTS, Feature.CLONING,
                Feature.GROUP_SNAPSHOTS, Feature.ONLINE_EXPANSION);
    }

    @Override
    public Optional<VolumeProvisioner> provisioner() {
        return Optional.of(provisioner);
    }

    @Override
    public Optional<io.csi4j.spi.VolumeSnapshots> snapshots() {
        return Optional.of(snapshots);
    }

    @Override
    public Optional<NodeVolumes> node() {
        return Optional.of(node);
    }
}
