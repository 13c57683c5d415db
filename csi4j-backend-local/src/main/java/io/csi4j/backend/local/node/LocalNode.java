package io.csi4j.backend.local.node;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import io.csi4j.linux.BlockProbe;
import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.Fsck;
import io.csi4j.linux.LoopAttachment;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.LoopOptions;
import io.csi4j.linux.Mkfs;
import io.csi4j.linux.MkfsOptions;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountFlag;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountOptions;
import io.csi4j.linux.Resize;
import io.csi4j.linux.StatFs;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.Topology;
import io.csi4j.spi.UseConflict;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import io.csi4j.spi.VolumeUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local volumes, node side. Images are attached to loop devices (autoclear for filesystems, so
 * unmounting gives the device back), formatted only when blank, checked, and mounted at the
 * staging path; directories are bind-mounted there. Publications are bind mounts of the staging
 * mount, or of the loop device node for raw block. What was done is written down first
 * ({@link NodeState}) and the kernel is asked what is; a repeat that finds them apart repairs.
 */
public final class LocalNode implements NodeVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

    /** Names of ephemeral inline volumes: the CO's volume ID behind this prefix. */
    public static final String EPHEMERAL_PREFIX = "ephemeral:";
    private static final Set<String> EPHEMERAL_ATTRIBUTES = Set.of("size", LocalParameters.TYPE, "fsType");
    /** How often a stacked mount is peeled off one target before giving up. */
    private static final int MAX_STACKED = 16;

    private final LocalProvisioner provisioner;
    private final LocalLayout layout;
    private final VolumeDevices devices;
    private final KeyLocks locks;
    private final RecordStore<NodeState> store;
    private final Map<String, NodeState> states = new ConcurrentHashMap<>();
    private final long ephemeralDefaultBytes;
    private final long ephemeralMaxBytes;
    private final long maxVolumes;

    public LocalNode(LocalProvisioner provisioner, LocalLayout layout, long ephemeralDefaultBytes, long ephemeralMaxBytes,
                     long maxVolumes) {
        this.provisioner = provisioner;
        this.layout = layout;
        this.devices = new VolumeDevices(layout);
        this.locks = provisioner.locks();
        this.store = new RecordStore<>(layout.nodeStates(), ".node", NodeState::uuid, NodeState::toProperties,
                NodeState::fromProperties);
        this.ephemeralDefaultBytes = ephemeralDefaultBytes;
        this.ephemeralMaxBytes = ephemeralMaxBytes;
        this.maxVolumes = maxVolumes;
    }

    /** Loads what this node had staged and published; the kernel is asked on the next call. */
    public void load() throws IOException {
        for (NodeState state : store.loadAll()) {
            states.put(state.uuid(), state);
        }
        for (NodeState state : states.values()) {
            // A crash during a snapshot would leave the filesystem frozen, and the next unmount hung.
            if (!state.block() && state.staging().isPresent()) {
                try {
                    if (io.csi4j.linux.Freeze.thaw(state.staging().get())) {
                        LOG.warn("volume {}: thawed its filesystem, left frozen by a crash", state.volumeId());
                    }
                } catch (SyscallException e) {
                    LOG.debug("volume {}: no thaw at {}: {}", state.volumeId(), state.staging().get(), e.getMessage());
                }
            }
        }
        provisioner.reportUseWith(uuid -> {
            NodeState state = states.get(uuid);
            return state != null && !state.idle();
        });
        LOG.info("{} volumes staged or published on this node", states.size());
    }

    @Override
    public long maxVolumes() {
        return maxVolumes;
    }

    // --- stage / unstage --------------------------------------------------------------------

    @Override
    public void stage(StageRequest request) {
        LocalVolumeId id = ours(request.volumeId());
        Path staging = callerPath(request.stagingPath());
        try (KeyLocks.Held ignored = lock(id)) {
            stageLocked(existing(id), staging, request.capability(), "");
        }
    }

    /**
     * A path from the CO as the kernel sees it (symbolic links of its existing part resolved, so
     * it compares with the mount table), refused when it reaches into the data directory: a
     * mount there could hide the driver's records or volumes.
     */
    private Path callerPath(Path path) {
        Path real = real(path);
        Path data = real(layout.root());
        if (real.startsWith(data) || data.startsWith(real)) {
            throw new InvalidParameter(path + " lies in or above the driver's data directory");
        }
        return real;
    }

    private static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    private void stageLocked(VolumeRecord record, Path staging, VolumeCapability capability, String ephemeralId) {
        fits(record, capability);
        MountOptions mount = mountOptions(record, capability);
        NodeState state = states.getOrDefault(record.id().uuid(), NodeState.fresh(record.id(), ephemeralId));
        List<String> flags = flags(capability);
        if (state.staging().isPresent()) {
            Path old = state.staging().get();
            Optional<String> problem = stagingProblem(record, state);
            boolean same = old.equals(staging) && state.block() == capability.isBlock()
                    && state.mode().equals(capability.mode().name()) && state.mountFlags().equals(flags);
            if (problem.isEmpty() && same) {
                return;
            }
            if (problem.isEmpty()) {
                throw new UseConflict("volume " + record.id() + " is already staged at " + old
                        + (old.equals(staging) ? " with another capability" : "") + "; unstage it first");
            }
            LOG.info("volume {}: repairing its staging at {}: {}", record.id(), old, problem.get());
            tearDownStaging(record, old);
        }
        Optional<MountInfo> occupied = VolumeDevices.mountAt(staging);
        if (occupied.isPresent() && !devices.shows(occupied.get(), record)) {
            throw new UseConflict("something else is already mounted at " + staging);
        }
        save(state.staged(staging, capability.isBlock(), capability.mode().name(), flags));
        try {
            if (capability.isBlock()) {
                blockDevice(record);
            } else if (record.type() == VolumeType.DIRECTORY) {
                directory(staging);
                Mount.bind(layout.directory(record.id()), staging, mount.perMountFlags());
            } else {
                mountImage(record, staging, mount);
            }
        } catch (RuntimeException | IOException e) {
            try {
                tearDownStaging(record, staging);
                save(states.get(record.id().uuid()).unstaged());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo); // the intent stays: a retry or an unstage finishes the cleanup
            }
            throw failure(e, "cannot stage volume " + record.id());
        }
        LOG.info("staged volume {} at {}", record.id(), staging);
    }

    /** Attaches the image, makes its filesystem if blank, checks it, and mounts it. */
    private void mountImage(VolumeRecord record, Path staging, MountOptions mount) throws IOException {
        for (LoopDevice stale : devices.loops(record)) {
            // Two devices writing one image would corrupt it: only an unused leftover may go.
            Optional<MountInfo> user = mountOf(stale);
            if (user.isPresent()) {
                throw new FailedPrecondition("the image of volume " + record.id() + " is mounted at "
                        + user.get().mountPoint() + " through " + stale.path() + "; unstage it there first");
            }
            LOG.info("volume {}: detaching leftover {}", record.id(), stale.path());
            detach(stale);
        }
        if (!awaitDetached(record)) {
            // Something still holds the old device (a checker a crash left running?): a second
            // device on the same image would corrupt it.
            throw new io.csi4j.spi.OperationPending("the image of volume " + record.id()
                    + " is still held through an old loop device; retry later");
        }
        directory(staging);
        try (LoopAttachment attached = attach(record, true, false)) {
            Path device = attached.device().path();
            String fsType = record.fsType();
            switch (BlockProbe.probe(device)) {
                case BlockProbe.Blank blank -> {
                    LOG.info("volume {}: making a {} filesystem on {}", record.id(), fsType, device);
                    Mkfs.make(device, fsType, MkfsOptions.defaults());
                }
                case BlockProbe.Filesystem fs when fs.type().equals(fsType) -> {
                    check(record, device, fsType);
                    if (record.growPending() && fsType.startsWith("ext")) {
                        // Grown before mounting: online ext growth needs CAP_SYS_RESOURCE, which not every node grants.
                        check(record, device, fsType, true);
                        growFilesystem(record, device, staging);
                    }
                }
                case BlockProbe.Filesystem fs -> throw new FailedPrecondition("volume " + record.id() + " holds a "
                        + fs.type() + " filesystem, not " + fsType + "; it is left as it is");
                case BlockProbe.Unknown unknown -> throw new FailedPrecondition("volume " + record.id()
                        + " holds data that is not a " + fsType + " filesystem (" + unknown.hint()
                        + "); it is not formatted");
            }
            String data = mount.data();
            if (fsType.equals("xfs")) {
                // Clones and snapshots carry their source's UUID; XFS refuses a second mount of one.
                data = data.isEmpty() ? "nouuid" : data + ",nouuid";
            }
            Mount.mount(device.toString(), staging, fsType, mount.flags(), data.isEmpty() ? null : data);
            // Closing the attachment leaves the mount as the device's only user: unmounting frees it.
            if (record.growPending() && fsType.equals("xfs") && !mount.readOnly()) {
                growFilesystem(record, device, staging); // XFS grows only while mounted
            }
        }
    }

    /** Grows the mounted filesystem to its device and records that it caught up. */
    private void growFilesystem(VolumeRecord record, Path device, Path mountPoint) throws IOException {
        LOG.info("volume {}: growing its {} filesystem to {} bytes", record.id(), record.fsType(), record.capacityBytes());
        Resize.growFilesystem(device, record.fsType(), mountPoint);
        provisioner.filesystemGrown(record.id().uuid());
    }

    @Override
    public long expand(String volumeId, Path requestedPath, CapacityRange range) {
        Path volumePath = real(requestedPath);
        LocalVolumeId id = ours(volumeId);
        try (KeyLocks.Held ignored = lock(id)) {
            VolumeRecord record = existing(id);
            NodeState state = states.get(id.uuid());
            boolean staged = state != null && state.staging().filter(volumePath::equals).isPresent();
            boolean published = state != null && state.publication(volumePath).isPresent();
            if (!staged && !published) {
                throw new VolumeNotFound("volume " + volumeId + " is neither staged nor published at " + volumePath);
            }
            if (range.hasRequired() && range.requiredBytes() > record.capacityBytes()) {
                throw new io.csi4j.spi.CapacityOutOfRange("volume " + volumeId + " has " + record.capacityBytes()
                        + " bytes; grow it with ControllerExpandVolume first");
            }
            if (record.type() != VolumeType.IMAGE) {
                return record.capacityBytes(); // a directory's limit is the controller's business
            }
            try {
                for (LoopDevice device : devices.loops(record)) {
                    device.setCapacity();
                }
                Path staging = state.staging().orElse(null);
                if (!record.block() && staging != null && stagingProblem(record, state).isEmpty() && record.growPending()) {
                    MountInfo mount = VolumeDevices.mountAt(staging).orElseThrow();
                    LoopDevice device = LoopDevice.ofDevice(mount.major(), mount.minor()).orElseThrow();
                    try {
                        growFilesystem(record, device.path(), staging);
                    } catch (io.csi4j.linux.ToolException e) {
                        if (!record.fsType().startsWith("ext")) {
                            throw e;
                        }
                        // Online ext growth needs CAP_SYS_RESOURCE; without it the filesystem grows
                        // at the next stage (growPending stays set), and the CO hears why now.
                        throw new FailedPrecondition("the " + record.fsType() + " filesystem of volume " + volumeId
                                + " cannot grow while mounted on this node (" + e.getMessage()
                                + "); it grows when the volume is next staged");
                    }
                }
            } catch (IOException e) {
                throw failure(e, "cannot expand volume " + volumeId);
            }
            LOG.info("volume {} expanded on this node to {} bytes", id, record.capacityBytes());
            return record.capacityBytes();
        }
    }

    /** Where the volume's filesystem is mounted on this node (its staging), if it is and healthy. */
    public Optional<Path> mountedFilesystem(String uuid) {
        NodeState state = states.get(uuid);
        if (state == null || state.staging().isEmpty() || state.block()) {
            return Optional.empty();
        }
        return provisioner.record(uuid).filter(record -> stagingProblem(record, state).isEmpty())
                .flatMap(record -> state.staging());
    }

    /** ext filesystems are checked before mounting; XFS replays its log at mount time instead. */
    private static void check(VolumeRecord record, Path device, String fsType) throws IOException {
        check(record, device, fsType, false);
    }

    private static void check(VolumeRecord record, Path device, String fsType, boolean fully) throws IOException {
        if (!fsType.startsWith("ext")) {
            return;
        }
        switch (fully ? Fsck.checkFully(device, fsType) : Fsck.check(device, fsType)) {
            case Fsck.Clean clean -> { }
            case Fsck.Corrected corrected -> LOG.warn("volume {}: e2fsck corrected errors: {}", record.id(),
                    corrected.output());
            case Fsck.Uncorrected uncorrected -> throw new FailedPrecondition("volume " + record.id()
                    + " has filesystem errors e2fsck could not correct; repair it by hand: " + uncorrected.output());
        }
    }

    /** The read-write loop device of a block volume: the one attached, or a new one. */
    private LoopDevice blockDevice(VolumeRecord record) throws SyscallException {
        for (LoopDevice device : devices.loops(record)) {
            if (!device.status().readOnly()) {
                return device;
            }
        }
        try (LoopAttachment attached = attach(record, false, false)) {
            return attached.device();
        }
    }

    private LoopAttachment attach(VolumeRecord record, boolean autoclear, boolean readOnly) throws SyscallException {
        Path image = layout.image(record.id());
        if (!Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS)) {
            throw new FailedPrecondition("the image file of volume " + record.id() + " is missing");
        }
        LoopOptions options = LoopOptions.defaults().withAutoclear(autoclear).withReadOnly(readOnly);
        try {
            return LoopDevice.attach(image, options.withDirectIo(true));
        } catch (SyscallException e) {
            if (e.errno() != SyscallException.EINVAL) {
                throw e;
            }
            return LoopDevice.attach(image, options); // the data directory's filesystem has no direct I/O
        }
    }

    @Override
    public void unstage(String volumeId, Path stagingPath) {
        Optional<LocalVolumeId> parsed = LocalVolumeId.parse(volumeId).filter(id -> id.node().equals(provisioner.node()));
        if (parsed.isEmpty()) {
            return; // not a volume of this node: nothing of ours is staged
        }
        Path staging = callerPath(stagingPath);
        try (KeyLocks.Held ignored = lock(parsed.get())) {
            unstageLocked(parsed.get(), staging);
        }
    }

    private void unstageLocked(LocalVolumeId id, Path stagingPath) {
        NodeState state = states.get(id.uuid());
        if (state == null || state.staging().isEmpty() || !state.staging().get().equals(stagingPath)) {
            return; // not staged there
        }
        for (NodeState.Publication publication : state.publications()) {
            if (VolumeDevices.mountAt(publication.target()).isPresent()) {
                throw new FailedPrecondition("volume " + id + " is still published at " + publication.target()
                        + "; unpublish it first");
            }
            LOG.info("volume {}: forgetting its vanished publication at {}", id, publication.target());
            Optional<VolumeRecord> owner = provisioner.record(id.uuid());
            if (owner.isPresent()) {
                unpublishTarget(owner.get(), publication, true); // frees its read-only device, if it had one
            }
            state = state.without(publication.target());
            save(state);
        }
        Optional<VolumeRecord> record = provisioner.record(id.uuid());
        if (record.isPresent()) {
            tearDownStaging(record.get(), stagingPath);
        } else {
            unmountAll(stagingPath, m -> true);
        }
        save(state.unstaged());
        LOG.info("unstaged volume {} from {}", id, stagingPath);
    }

    /**
     * Unmounts this volume at {@code staging} (whatever is there, when the staging is recorded:
     * its image may be gone) and frees its unused loop devices.
     */
    private void tearDownStaging(VolumeRecord record, Path staging) {
        NodeState state = states.get(record.id().uuid());
        boolean recorded = state != null && state.staging().filter(staging::equals).isPresent();
        unmountAll(staging, m -> recorded || devices.shows(m, record));
        if (record.type() == VolumeType.IMAGE) {
            for (LoopDevice device : devices.loops(record)) {
                if (mountOf(device).isEmpty() && !publishedDevice(record, device)) {
                    detach(device);
                }
            }
            awaitDetached(record);
        }
    }

    /**
     * Waits until the kernel has let go of the volume's unused loop devices: autoclear and
     * LOOP_CLR_FD finish after the last close, a moment after the unmount. When unstage returns,
     * the device is gone, so a DeleteVolume right after it does not find the volume in use.
     */
    private boolean awaitDetached(VolumeRecord record) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (devices.loops(record).stream().anyMatch(d -> mountOf(d).isEmpty() && !publishedDevice(record, d))) {
            if (System.nanoTime() > deadline) {
                LOG.warn("volume {}: its loop device is still attached 5 s after it was released", record.id());
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Whether a read-only block publication uses {@code device}. */
    private boolean publishedDevice(VolumeRecord record, LoopDevice device) {
        NodeState state = states.get(record.id().uuid());
        return state != null && state.publications().stream().anyMatch(p -> p.device() == device.number());
    }

    // --- publish / unpublish ----------------------------------------------------------------

    @Override
    public void publish(PublishRequest request) {
        if (request.ephemeral()) {
            publishEphemeral(request);
            return;
        }
        LocalVolumeId id = ours(request.volumeId());
        Path staging = callerPath(request.stagingPath()
                .orElseThrow(() -> new InvalidParameter("staging_target_path is required")));
        Path target = callerPath(request.targetPath());
        try (KeyLocks.Held ignored = lock(id)) {
            publishLocked(existing(id), staging, new PublishRequest(request.volumeId(), Optional.of(staging), target,
                    request.capability(), request.readOnly(), request.context()));
        }
    }

    private void publishLocked(VolumeRecord record, Path staging, PublishRequest request) {
        VolumeCapability capability = request.capability();
        fits(record, capability);
        boolean readOnly = request.readOnly() || capability.mode().readOnly();
        MountOptions mount = mountOptions(record, capability).withReadOnly(readOnly);
        NodeState state = states.get(record.id().uuid());
        if (state == null || state.staging().isEmpty() || !state.staging().get().equals(staging)) {
            throw new FailedPrecondition("volume " + record.id() + " is not staged at " + staging + "; stage it first");
        }
        if (state.block() != capability.isBlock()) {
            throw new FailedPrecondition("volume " + record.id() + " is staged for "
                    + (state.block() ? "raw block" : "filesystem") + " access");
        }
        Path target = request.targetPath();
        if (capability.mode() == AccessMode.SINGLE_NODE_SINGLE_WRITER) {
            for (NodeState.Publication other : state.publications()) {
                if (!other.target().equals(target) && publicationProblem(record, other).isEmpty()) {
                    throw new FailedPrecondition("volume " + record.id() + " is single-writer and already published at "
                            + other.target());
                }
            }
        }
        Optional<String> stale = stagingProblem(record, state);
        if (stale.isPresent()) {
            // After a restart the staging may be gone; it is remade as it was asked for.
            LOG.info("volume {}: restaging before publishing: {}", record.id(), stale.get());
            VolumeCapability staged = new VolumeCapability(state.block() ? new VolumeCapability.Block()
                    : new VolumeCapability.Mount(record.fsType(), state.mountFlags()), AccessMode.valueOf(state.mode()));
            stageLocked(record, staging, staged, state.ephemeralId());
            state = states.get(record.id().uuid());
        }
        NodeState.Publication wanted = new NodeState.Publication(target, readOnly, capability.isBlock(),
                capability.mode().name(), flags(capability), -1);
        Optional<NodeState.Publication> existing = state.publication(target);
        if (existing.isPresent()) {
            boolean same = sameUse(existing.get(), wanted);
            Optional<String> problem = publicationProblem(record, existing.get());
            if (same && problem.isEmpty()) {
                return;
            }
            if (problem.isEmpty()) {
                throw new UseConflict("volume " + record.id() + " is already published at " + target
                        + " with " + describe(existing.get()) + ", not " + describe(wanted));
            }
            LOG.info("volume {}: repairing its publication at {}: {}", record.id(), target, problem.get());
            unpublishTarget(record, existing.get(), true);
            state = states.get(record.id().uuid()).without(target);
        } else {
            Optional<MountInfo> there = VolumeDevices.mountAt(target);
            if (there.isPresent()) {
                throw new UseConflict("something else is already mounted at " + target);
            }
        }
        save(state.with(wanted));
        try {
            if (capability.isBlock()) {
                publishBlock(record, target, wanted);
            } else {
                directory(target);
                EnumSet<MountFlag> flags = EnumSet.noneOf(MountFlag.class);
                flags.addAll(mount.perMountFlags());
                Mount.bind(staging, target, flags);
            }
        } catch (RuntimeException | IOException e) {
            try {
                unpublishTarget(record, states.get(record.id().uuid()).publication(target).orElse(wanted), true);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            save(states.get(record.id().uuid()).without(target));
            throw failure(e, "cannot publish volume " + record.id() + " at " + target);
        }
        LOG.info("published volume {} at {}{}", record.id(), target, readOnly ? " (read-only)" : "");
    }

    /**
     * Binds the loop device node onto a file at the target. Read-only gets a read-only device of
     * its own: a read-only bind of a device node would not stop writes to the device.
     */
    private void publishBlock(VolumeRecord record, Path target, NodeState.Publication publication) throws IOException {
        LoopDevice device;
        if (publication.readOnly()) {
            try (LoopAttachment attached = attach(record, false, true)) {
                device = attached.device();
            }
            save(states.get(record.id().uuid()).with(new NodeState.Publication(target, true, true, publication.mode(),
                    publication.mountFlags(), device.number())));
        } else {
            device = blockDevice(record);
        }
        Files.createDirectories(target.getParent());
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(target); // an empty directory made for us where a file belongs; a full one stays
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.createFile(target);
        }
        Mount.bind(device.path(), target, publication.readOnly());
    }

    @Override
    public void unpublish(String volumeId, Path requestedTarget) {
        Path targetPath = callerPath(requestedTarget);
        Optional<LocalVolumeId> parsed = LocalVolumeId.parse(volumeId).filter(id -> id.node().equals(provisioner.node()));
        if (parsed.isEmpty()) {
            Optional<String> ephemeral = ephemeralName(volumeId).flatMap(provisioner::uuidOfName);
            if (ephemeral.isPresent()) {
                unpublishEphemeral(volumeId, ephemeral.get(), targetPath);
            } else {
                removeTarget(targetPath);
            }
            return;
        }
        try (KeyLocks.Held ignored = lock(parsed.get())) {
            unpublishLocked(parsed.get(), targetPath);
        }
    }

    private void unpublishLocked(LocalVolumeId id, Path target) {
        NodeState state = states.get(id.uuid());
        Optional<NodeState.Publication> publication = state == null ? Optional.empty() : state.publication(target);
        Optional<VolumeRecord> record = provisioner.record(id.uuid());
        if (record.isPresent()) {
            unpublishTarget(record.get(), publication.orElse(
                    new NodeState.Publication(target, false, record.get().block(), "", List.of(), -1)), publication.isPresent());
        } else {
            removeTarget(target);
        }
        if (state != null && publication.isPresent()) {
            save(state.without(target));
            LOG.info("unpublished volume {} from {}", id, target);
        }
    }

    /**
     * Unmounts this volume from the target, removes the target, and frees a read-only block device.
     * A recorded publication's target is ours whatever is mounted there now (the image may be gone);
     * an unrecorded one is unmounted only when the mount shows this volume.
     */
    private void unpublishTarget(VolumeRecord record, NodeState.Publication publication, boolean recorded) {
        Path target = publication.target();
        if (publication.block()) {
            // A bound device node: the mount table names the devtmpfs, not the device.
            long dev = VolumeDevices.deviceOf(target);
            unmountAll(target, m -> recorded || devices.loops(record).stream().anyMatch(d -> VolumeDevices.deviceOf(d) == dev));
        } else {
            unmountAll(target, m -> recorded || devices.shows(m, record));
        }
        removeTarget(target);
        if (publication.device() >= 0) {
            LoopDevice device = new LoopDevice(publication.device());
            if (devices.carries(device, record) && mountOf(device).isEmpty()) {
                detach(device);
            }
        }
    }

    // --- ephemeral inline volumes -------------------------------------------------------------

    private void publishEphemeral(PublishRequest given) {
        PublishRequest request = new PublishRequest(given.volumeId(), Optional.empty(), callerPath(given.targetPath()),
                given.capability(), given.readOnly(), given.context());
        String name = ephemeralName(request.volumeId())
                .orElseThrow(() -> new InvalidParameter("volume_id of an ephemeral volume must be printable and at most "
                        + (LocalProvisioner.MAX_NAME_BYTES - EPHEMERAL_PREFIX.length()) + " bytes"));
        try (KeyLocks.Held ignored = locks.acquire("ephemeral:" + request.volumeId(), "volume " + request.volumeId())) {
            VolumeSpec spec = ephemeralSpec(name, request);
            LocalVolumeId id = LocalVolumeId.parse(provisioner.create(spec).id()).orElseThrow();
            Path staging = layout.ephemeral(id);
            RuntimeException failed = null;
            try (KeyLocks.Held alsoId = lock(id)) {
                VolumeRecord record = existing(id);
                VolumeCapability stagedAs = new VolumeCapability(request.capability().access(),
                        AccessMode.SINGLE_NODE_MULTI_WRITER);
                try {
                    stageLocked(record, staging, stagedAs, request.volumeId());
                    publishLocked(record, staging, new PublishRequest(id.toString(), Optional.of(staging),
                            request.targetPath(), stagedAs, request.readOnly(), Map.of()));
                } catch (RuntimeException e) {
                    NodeState state = states.get(id.uuid());
                    if (state != null && !state.publications().isEmpty()) {
                        throw e; // published elsewhere on this node: it stays
                    }
                    removeEphemeral(id, e);
                    failed = e;
                }
            }
            if (failed != null) {
                // A pod that never got the volume keeps none: deleted once the volume's lock is free.
                try {
                    provisioner.delete(id.toString());
                } catch (RuntimeException undo) {
                    failed.addSuppressed(undo);
                }
                throw failed;
            }
        }
    }

    /** Undoes a failed first publication of an ephemeral volume: its staging goes (the caller deletes the volume). */
    private void removeEphemeral(LocalVolumeId id, RuntimeException failure) {
        try {
            unstageLocked(id, layout.ephemeral(id));
            NodeState state = states.get(id.uuid());
            if (state != null) {
                save(state.unstaged());
            }
            deleteEmptyDirectory(layout.ephemeral(id));
        } catch (RuntimeException undo) {
            failure.addSuppressed(undo);
        }
    }

    private VolumeSpec ephemeralSpec(String name, PublishRequest request) {
        Map<String, String> parameters = new java.util.HashMap<>();
        long size = ephemeralDefaultBytes;
        for (Map.Entry<String, String> attribute : request.context().entrySet()) {
            String key = attribute.getKey();
            if (key.startsWith("csi.storage.k8s.io/")) {
                continue; // pod facts the CO adds
            }
            if (!EPHEMERAL_ATTRIBUTES.contains(key)) {
                throw new InvalidParameter("unknown ephemeral volume attribute '" + key + "'; use size, type or fsType");
            }
            switch (key) {
                case "size" -> size = io.csi4j.spi.Quantity.bytes(attribute.getValue())
                        .filter(bytes -> bytes > 0)
                        .orElseThrow(() -> new InvalidParameter("ephemeral volume attribute size '" + attribute.getValue()
                                + "' is not a size such as 512Mi or 1Gi"));
                case LocalParameters.TYPE -> parameters.put(LocalParameters.TYPE, attribute.getValue());
                default -> { } // fsType goes into the capability
            }
        }
        if (size > ephemeralMaxBytes) {
            throw new InvalidParameter("ephemeral volume size " + size + " exceeds this node's maximum of "
                    + ephemeralMaxBytes + " bytes");
        }
        VolumeCapability capability = request.capability();
        String fsType = request.context().getOrDefault("fsType", "");
        if (capability.access() instanceof VolumeCapability.Mount m && m.fsType().isEmpty() && !fsType.isEmpty()) {
            capability = new VolumeCapability(new VolumeCapability.Mount(fsType, m.mountFlags()), capability.mode());
        }
        return new VolumeSpec(name, new CapacityRange(size, 0), List.of(capability), parameters, Topology.ANY,
                VolumeSource.EMPTY);
    }

    private void unpublishEphemeral(String volumeId, String uuid, Path target) {
        try (KeyLocks.Held ignored = locks.acquire("ephemeral:" + volumeId, "volume " + volumeId)) {
            LocalVolumeId id = provisioner.record(uuid).map(VolumeRecord::id).orElse(null);
            if (id == null) {
                removeTarget(target);
                return;
            }
            try (KeyLocks.Held alsoId = lock(id)) {
                unpublishLocked(id, target);
                NodeState state = states.get(id.uuid());
                if (state != null && !state.publications().isEmpty()) {
                    return; // still in use elsewhere on this node
                }
                unstageLocked(id, layout.ephemeral(id));
            }
            provisioner.delete(id.toString());
            deleteEmptyDirectory(layout.ephemeral(id));
            LOG.info("deleted ephemeral volume {} ({})", id, LocalProvisioner.printable(volumeId));
        }
    }

    private static Optional<String> ephemeralName(String volumeId) {
        String name = EPHEMERAL_PREFIX + volumeId;
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > LocalProvisioner.MAX_NAME_BYTES
                || volumeId.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    // --- usage and health ---------------------------------------------------------------------

    @Override
    public VolumeUsage usage(String volumeId, Path requestedPath) {
        Path volumePath = real(requestedPath);
        LocalVolumeId id = LocalVolumeId.parse(volumeId)
                .filter(parsed -> parsed.node().equals(provisioner.node()))
                .or(() -> ephemeralName(volumeId).flatMap(provisioner::uuidOfName)
                        .flatMap(provisioner::record).map(VolumeRecord::id))
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on this node"));
        NodeState state = states.get(id.uuid());
        boolean staged = state != null && state.staging().filter(volumePath::equals).isPresent();
        Optional<NodeState.Publication> publication = state == null ? Optional.empty() : state.publication(volumePath);
        if (!staged && publication.isEmpty()) {
            throw new VolumeNotFound("volume " + volumeId + " is neither staged nor published at " + volumePath);
        }
        Optional<VolumeRecord> found = provisioner.record(id.uuid());
        if (found.isEmpty()) {
            return new VolumeUsage(Optional.empty(), Optional.empty(), true, "the volume no longer exists");
        }
        VolumeRecord record = found.get();
        boolean block = staged ? state.block() : publication.get().block();
        Optional<String> problem = staged ? stagingProblem(record, state) : publicationProblem(record, publication.get());
        if (block) {
            long size = devices.loops(record).stream().findFirst().map(LocalNode::size).orElse(record.capacityBytes());
            return new VolumeUsage(Optional.of(new VolumeUsage.Counts(size, -1, -1)), Optional.empty(),
                    problem.isPresent(), problem.orElse("the block device is attached"));
        }
        if (problem.isPresent() && VolumeDevices.mountAt(volumePath).isEmpty()) {
            return new VolumeUsage(Optional.empty(), Optional.empty(), true, problem.get()); // statfs would see another filesystem
        }
        FileSystemStats fs;
        try {
            fs = StatFs.of(volumePath);
        } catch (SyscallException e) {
            return new VolumeUsage(Optional.empty(), Optional.empty(), true, "the volume cannot be examined: " + e.getMessage());
        }
        boolean wantedReadOnly = staged ? state.mode().contains("READER") : publication.get().readOnly();
        if (problem.isEmpty() && fs.readOnly() && !wantedReadOnly) {
            problem = Optional.of("the filesystem is read-only although mounted for writing: errors made the kernel "
                    + "remount it read-only");
        }
        return new VolumeUsage(
                Optional.of(new VolumeUsage.Counts(fs.totalBytes(), fs.availableBytes(), fs.usedBytes())),
                Optional.of(new VolumeUsage.Counts(fs.totalInodes(), fs.freeInodes(), fs.usedInodes())),
                problem.isPresent(), problem.orElse("the volume is mounted and its filesystem writable"));
    }

    private static long size(LoopDevice device) {
        try {
            return device.sizeBytes();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Why the volume's staging is not as recorded, if it is not. */
    private Optional<String> stagingProblem(VolumeRecord record, NodeState state) {
        Optional<String> data = provisioner.dataProblem(record);
        if (data.isPresent()) {
            return data;
        }
        Path staging = state.staging().orElseThrow();
        if (state.block()) {
            boolean attached = devices.loops(record).stream().anyMatch(d -> !readOnly(d));
            return attached ? Optional.empty() : Optional.of("its image is no longer attached to a loop device");
        }
        Optional<MountInfo> mount = VolumeDevices.mountAt(staging);
        if (mount.isEmpty()) {
            return Optional.of("nothing is mounted at its staging path " + staging);
        }
        if (!devices.shows(mount.get(), record)) {
            return Optional.of("the mount at " + staging + " is not this volume's "
                    + (record.type() == VolumeType.IMAGE ? "image (its loop device went away or was reused)" : "directory"));
        }
        return Optional.empty();
    }

    /** Why a publication is not as recorded, if it is not. */
    private Optional<String> publicationProblem(VolumeRecord record, NodeState.Publication publication) {
        Optional<String> data = provisioner.dataProblem(record);
        if (data.isPresent()) {
            return data;
        }
        Path target = publication.target();
        Optional<MountInfo> mount = VolumeDevices.mountAt(target);
        if (mount.isEmpty()) {
            return Optional.of("nothing is mounted at " + target);
        }
        if (publication.block()) {
            long dev = VolumeDevices.deviceOf(target);
            boolean ours = devices.loops(record).stream().anyMatch(d -> VolumeDevices.deviceOf(d) == dev);
            return ours ? Optional.empty() : Optional.of("the device at " + target + " is no longer this volume's loop device");
        }
        return devices.shows(mount.get(), record) ? Optional.empty()
                : Optional.of("the mount at " + target + " is not this volume's");
    }

    // --- helpers ------------------------------------------------------------------------------

    /** A volume ID of this node, else NOT_FOUND: IDs of other nodes' volumes cannot be served here. */
    private LocalVolumeId ours(String volumeId) {
        LocalVolumeId id = LocalVolumeId.parse(volumeId)
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist"));
        if (!id.node().equals(provisioner.node())) {
            throw new VolumeNotFound("volume " + volumeId + " lives on node " + id.node() + ", not on this node ("
                    + provisioner.node() + ")");
        }
        return id;
    }

    private VolumeRecord existing(LocalVolumeId id) {
        return provisioner.record(id.uuid())
                .orElseThrow(() -> new VolumeNotFound("volume " + id + " does not exist"));
    }

    private KeyLocks.Held lock(LocalVolumeId id) {
        return locks.acquire("id:" + id.uuid(), "volume " + id);
    }

    /** Refuses a capability the volume was not made for (FAILED_PRECONDITION, as the spec says). */
    private static void fits(VolumeRecord record, VolumeCapability capability) {
        if (capability.mode().multiNode()) {
            throw new FailedPrecondition("local volumes live on one node: access mode " + capability.mode()
                    + " is not supported");
        }
        if (capability.isBlock() != record.block()) {
            throw new FailedPrecondition("volume " + record.id() + " is a " + (record.block() ? "raw block" : "filesystem")
                    + " volume; it cannot be used as " + (capability.isBlock() ? "raw block" : "a filesystem"));
        }
        if (capability.access() instanceof VolumeCapability.Mount mount && !mount.fsType().isEmpty()
                && !mount.fsType().equals(record.fsType()) && record.type() == VolumeType.IMAGE) {
            throw new FailedPrecondition("volume " + record.id() + " has a " + record.fsType() + " filesystem, not "
                    + mount.fsType());
        }
    }

    private static MountOptions mountOptions(VolumeRecord record, VolumeCapability capability) {
        MountOptions options;
        try {
            options = MountOptions.parse(flags(capability));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter(e.getMessage());
        }
        if (record.type() == VolumeType.DIRECTORY && !options.data().isEmpty()) {
            throw new InvalidParameter("directory volumes are bind mounts and take only generic mount flags "
                    + "(ro, nosuid, nodev, noexec, noatime, ...), not '" + options.data() + "'");
        }
        return options.withReadOnly(capability.mode().readOnly());
    }

    private static List<String> flags(VolumeCapability capability) {
        return capability.access() instanceof VolumeCapability.Mount mount ? mount.mountFlags() : List.of();
    }

    private static boolean sameUse(NodeState.Publication a, NodeState.Publication b) {
        return a.readOnly() == b.readOnly() && a.block() == b.block() && a.mode().equals(b.mode())
                && a.mountFlags().equals(b.mountFlags());
    }

    private static String describe(NodeState.Publication p) {
        return (p.block() ? "block" : "filesystem") + " access, " + p.mode() + (p.readOnly() ? ", read-only" : "")
                + (p.mountFlags().isEmpty() ? "" : ", flags " + p.mountFlags());
    }

    private static boolean readOnly(LoopDevice device) {
        try {
            return device.status().readOnly();
        } catch (SyscallException e) {
            return false;
        }
    }

    /** The mount of {@code device}'s filesystem, if it is mounted anywhere. */
    private static Optional<MountInfo> mountOf(LoopDevice device) {
        try {
            long dev = VolumeDevices.deviceOf(device);
            if (dev < 0) {
                return Optional.empty();
            }
            int major = (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
            int minor = (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
            return io.csi4j.linux.MountTable.read().mounts().stream()
                    .filter(m -> m.major() == major && m.minor() == minor)
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void detach(LoopDevice device) {
        try {
            device.detach();
        } catch (SyscallException e) {
            if (e.errno() != SyscallException.ENXIO) {
                throw new UncheckedIOException("cannot detach " + device.path(), e);
            }
        }
    }

    /** Unmounts, top first, every mount at {@code path} that {@code ours} accepts. */
    private static void unmountAll(Path path, java.util.function.Predicate<MountInfo> ours) {
        for (int i = 0; i < MAX_STACKED; i++) {
            Optional<MountInfo> mount = VolumeDevices.mountAt(path);
            if (mount.isEmpty()) {
                return;
            }
            if (!ours.test(mount.get())) {
                throw new FailedPrecondition("something else is mounted at " + path + "; it is left alone");
            }
            try {
                Mount.unmount(path, false);
            } catch (SyscallException e) {
                if (e.errno() == SyscallException.EBUSY) {
                    throw new FailedPrecondition("the volume at " + path + " is busy: a process still uses it");
                }
                throw new UncheckedIOException("cannot unmount " + path, e);
            }
        }
        throw new FailedPrecondition("more than " + MAX_STACKED + " mounts are stacked at " + path);
    }

    /**
     * Removes a target that nothing is mounted on: an empty directory, or the empty file a block
     * publication used. Anything holding data stays.
     */
    private static void removeTarget(Path target) {
        if (VolumeDevices.mountAt(target).isPresent()) {
            LOG.warn("leaving {} alone: something not of this volume is mounted there", target);
            return;
        }
        try {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(target);
            } else if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == 0) {
                Files.delete(target);
            }
        } catch (NoSuchFileException e) {
            // gone already
        } catch (DirectoryNotEmptyException e) {
            LOG.warn("leaving {} in place: it is not empty", target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + target, e);
        }
    }

    private static void deleteEmptyDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

    private static void directory(Path path) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new FailedPrecondition(path + " exists and is not a directory");
        }
        Files.createDirectories(path);
    }

    private void save(NodeState state) {
        if (state.idle()) {
            store.remove(state.uuid());
            states.remove(state.uuid());
        } else {
            store.save(state);
            states.put(state.uuid(), state);
        }
    }

    /** A failure as it leaves this class: outcomes as they are, system errors with context. */
    private static RuntimeException failure(Exception e, String context) {
        if (e instanceof io.csi4j.spi.BackendException outcome) {
            return outcome;
        }
        if (e instanceof RuntimeException runtime && !(e instanceof UncheckedIOException)) {
            return runtime;
        }
        return new UncheckedIOException(context + ": " + e.getMessage(),
                e instanceof IOException io ? io : new IOException(e));
    }
}
