package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.Pages;
import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.StatFs;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.CapacityReport;
import io.csi4j.spi.Expansion;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Topology;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumePage;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSpec;
import io.csi4j.spi.VolumeStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local volumes, controller side: CreateVolume, DeleteVolume, ControllerExpandVolume, listings and
 * capacity. Volumes are held in memory ({@link VolumeIndex}); each change writes one record
 * first, then the data ({@link VolumeData}); room is accounted in {@link Room}. Per-volume locks,
 * shared with the node and snapshot sides, refuse concurrent calls on one name or ID.
 */
public final class LocalProvisioner implements VolumeProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProvisioner.class);

    static final long DEFAULT_SIZE = 1L << 30;
    static final long XFS_MINIMUM = 300L << 20;
    /** The CSI spec's size limit for string fields. */
    public static final int MAX_NAME_BYTES = 128;

    /** What the last refresh found wrong, by reason; read by monitoring. */
    private volatile Map<String, Long> abnormal = Map.of();
    private final String node;
    private final LocalLayout layout;
    private final RecordStore<VolumeRecord> records;
    private final VolumeData data;
    private final CapacityEnforcer enforcer;
    private final VolumeCopies copies;
    private final KeyLocks locks = new KeyLocks();
    private final VolumeIndex volumes;
    private final Room room = new Room();
    private final Sizes sizes;
    private final Sources sources;
    private final Function<VolumeRecord, Optional<String>> inUse;
    private volatile Predicate<String> usedHere = uuid -> false;

    /**
     * @param maxVolumeBytes the largest volume offered, or 0 for the data directory's size
     * @param inUse          why the kernel says a volume is in use on this node, if it is (the node side's answer)
     */
    public LocalProvisioner(String node, LocalLayout layout, long maxVolumeBytes, CapacityEnforcer enforcer,
                            Function<VolumeRecord, Optional<String>> inUse) {
        this.node = node;
        this.layout = layout;
        this.records = RecordStore.volumes(layout.records());
        this.data = new VolumeData(layout, enforcer);
        this.enforcer = enforcer;
        this.copies = new VolumeCopies(layout, enforcer);
        this.volumes = new VolumeIndex(enforcer instanceof CapacityEnforcer.ProjectQuotas);
        this.sizes = new Sizes(maxVolumeBytes);
        this.sources = new Sources(node, locks, volumes, copies);
        this.inUse = inUse;
    }

    /**
     * Loads the records and repairs what a crash left: half-created volumes are removed (their
     * CreateVolume never answered, the CO retries), half-deleted ones are finished, data without
     * a record is removed.
     */
    public void recover() throws IOException {
        for (VolumeRecord record : records.loadAll()) {
            if (!record.id().node().equals(node)) {
                LOG.warn("volume record {} belongs to node {}, not {}; leaving it alone", record.id(), record.id().node(), node);
                continue;
            }
            switch (record.state()) {
                case VolumeRecord.READY -> {
                    volumes.put(record);
                    room.promise(record.reservedBytes());
                }
                case VolumeRecord.CREATING, VolumeRecord.DELETING -> finishInterrupted(record);
                default -> LOG.error("volume record {} has unknown state {}; leaving it alone", record.id(), record.state());
            }
        }
        // Records left alone above (another node's, unknown state, unreadable) still claim their data.
        data.removeOrphans(records.uuids());
        refreshAllocation();
        LOG.info("{} local volumes, {} bytes promised, {} of them written", volumes.size(), room.promised(), room.written());
    }

    private void finishInterrupted(VolumeRecord record) {
        LOG.info("finishing interrupted {} of volume {} ({})", record.state(), record.id(), printable(record.name()));
        try {
            data.remove(record);
            records.remove(record.id().uuid());
        } catch (RuntimeException e) {
            // One volume that cannot be cleaned must not keep the others from being served.
            LOG.error("cannot finish the {} of volume {}; its record stays for the next start: {}",
                    record.state(), record.id(), e.getMessage());
        }
    }

    @Override
    public Volume create(VolumeSpec spec) {
        if (spec.name().isEmpty()) {
            throw new InvalidParameter("the volume name is required");
        }
        if (spec.name().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidParameter("the volume name is longer than " + MAX_NAME_BYTES + " bytes (the CSI size limit)");
        }
        LocalParameters parameters = LocalParameters.parse(spec.parameters());
        Access access = Access.of(spec.capabilities(), parameters.type());
        try (KeyLocks.Held ignored = locks.acquire("name:" + spec.name(), "volume " + spec.name())) {
            Optional<VolumeRecord> existing = volumes.uuidOfName(spec.name()).flatMap(volumes::get);
            if (existing.isPresent()) {
                Matching.check(existing.get(), spec, parameters, access, segment());
                return volume(existing.get());
            }
            if (!spec.topology().admits(segment())) {
                throw new CapacityExhausted("the requested topology excludes this node (" + node
                        + "); local volumes live on the node that creates them");
            }
            try (Sources.Source source = sources.hold(spec.source(), parameters, access)) {
                return createNew(spec, parameters, access, source);
            }
        }
    }

    private Volume createNew(VolumeSpec spec, LocalParameters parameters, Access access, Sources.Source source) {
        FileSystemStats fs = stats();
        long size = sizes.of(spec.capacity(), access, fs, source.minimumBytes());
        if (size < source.minimumBytes()) {
            throw new CapacityOutOfRange("the source holds " + source.minimumBytes() + " bytes: a volume made from it "
                    + "needs at least that much, not " + size);
        }
        boolean enforced = parameters.type() == VolumeType.IMAGE || parameters.enforceCapacity();
        if (parameters.type() == VolumeType.DIRECTORY && parameters.enforceCapacity() && !enforcer.enforces()) {
            throw new InvalidParameter("the capacity of directory volumes cannot be enforced on this node: "
                    + ((CapacityEnforcer.NotEnforced) enforcer).reason()
                    + "; mount the data directory's XFS or ext4 filesystem with prjquota (ext4 needs its project "
                    + "feature first: tune2fs -O project -Q prjquota on the unmounted device), or use btrfs; "
                    + "or set enforceCapacity: \"false\" to accept unenforced capacity, or use type: image");
        }
        long reserve = parameters.overcommit() || !enforced ? 0 : size;
        if (!room.reserve(reserve, fs)) {
            throw new CapacityExhausted("not enough room for " + size + " bytes on this node: "
                    + Math.max(room.room(fs), 0) + " bytes are free and not promised to other volumes");
        }
        LocalVolumeId id = LocalVolumeId.random(node);
        long quotaId = parameters.type() == VolumeType.DIRECTORY && enforced ? volumes.newProjectId(id) : 0;
        VolumeRecord record = new VolumeRecord(id, spec.name(), VolumeRecord.CREATING,
                parameters.type(), size, access.block(), access.fsType(), reserve, enforced, quotaId,
                spec.parameters()).withSource(Sources.nameOf(spec.source()));
        try {
            VolumeRecord ready = make(record, source);
            LOG.info("created {} volume {} ({}) of {} bytes{}{}", parameters.type().parameterValue(), ready.id(),
                    printable(ready.name()), size, source.describe(),
                    enforced ? "" : ", capacity not enforced: only the data directory's filesystem limits it");
            return volume(ready);
        } catch (RuntimeException e) {
            room.release(reserve);
            throw e;
        }
    }

    /** Writes the record, then the data; a failure removes both. Its room is reserved already. */
    private VolumeRecord make(VolumeRecord record, Sources.Source source) {
        try (KeyLocks.Held alsoId = locks.acquire("id:" + record.id().uuid(), "volume " + record.id())) {
            records.save(record);
            VolumeRecord made;
            try {
                made = source.data().isPresent() ? source.fill(record) : data.create(record);
            } catch (RuntimeException e) {
                data.remove(record);
                records.remove(record.id().uuid());
                volumes.releaseProjectId((int) record.quotaId());
                throw e;
            }
            VolumeRecord ready = made.withState(VolumeRecord.READY);
            records.save(ready);
            volumes.put(ready);
            return ready;
        }
    }

    @Override
    public void delete(String volumeId) {
        Optional<LocalVolumeId> parsed = LocalVolumeId.parse(volumeId);
        if (parsed.isEmpty()) {
            return; // not an ID we could have issued: nothing of ours to delete
        }
        LocalVolumeId id = parsed.get();
        id.requireOn(node, "volume " + volumeId);
        try (KeyLocks.Held ignored = locks.acquire("id:" + id.uuid(), "volume " + volumeId)) {
            Optional<VolumeRecord> record = volumes.get(id.uuid());
            if (record.isPresent()) {
                deleteLocked(record.get());
            }
        }
    }

    private void deleteLocked(VolumeRecord record) {
        try (KeyLocks.Held alsoName = locks.acquire("name:" + record.name(), "volume " + record.name())) {
            inUse.apply(record).ifPresent(use -> {
                // Unpublish and unstage free only what this driver's node side holds; anything else
                // (a mount or loop device made by hand) must be let go by whoever made it.
                throw new FailedPrecondition("volume " + record.id() + " (" + record.name() + ") is in use on node "
                        + node + ": " + use + (usedHere.test(record.id().uuid()) ? "; unpublish and unstage it first"
                        : "; it is not staged or published by this driver, so unmount or detach that by hand"));
            });
            records.save(record.withState(VolumeRecord.DELETING));
            data.remove(record);
            records.remove(record.id().uuid());
            if (volumes.remove(record)) {
                room.forget(record.id().uuid());
                room.release(record.reservedBytes());
            }
            LOG.info("deleted volume {} ({})", record.id(), printable(record.name()));
        }
    }

    @Override
    public Expansion expand(String volumeId, CapacityRange range) {
        LocalVolumeId id = LocalVolumeId.parse(volumeId).filter(v -> v.node().equals(node))
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on node " + node));
        try (KeyLocks.Held ignored = locks.acquire("id:" + id.uuid(), "volume " + volumeId)) {
            VolumeRecord record = volumes.get(id.uuid())
                    .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist"));
            boolean nodeSide = record.type() == VolumeType.IMAGE;
            if (range.hasLimit() && record.capacityBytes() > range.limitBytes()) {
                throw new CapacityOutOfRange("volume " + volumeId + " has " + record.capacityBytes()
                        + " bytes, more than the limit of " + range.limitBytes() + "; volumes do not shrink");
            }
            if (!range.hasRequired()) {
                return new Expansion(record.capacityBytes(), nodeSide);
            }
            FileSystemStats fs = stats();
            long size = sizes.grown(volumeId, record.capacityBytes(), range, fs);
            if (size > record.capacityBytes()) {
                grow(record, size, fs);
            }
            return new Expansion(size, nodeSide); // asked again: already done
        }
    }

    private void grow(VolumeRecord record, long size, FileSystemStats fs) {
        long newReserved = record.reservedBytes() > 0 ? size : 0;
        if (!room.reserve(newReserved - record.reservedBytes(), fs)) {
            throw new CapacityExhausted("not enough room to grow volume " + record.id() + " to " + size + " bytes: "
                    + Math.max(room.room(fs), 0) + " bytes are free and not promised to other volumes");
        }
        try {
            data.grow(record, size); // first: a crash before the record is saved only repeats this
        } catch (RuntimeException e) {
            room.release(newReserved - record.reservedBytes());
            throw e;
        }
        VolumeRecord grown = record.grownTo(size, newReserved);
        records.save(grown);
        volumes.put(grown);
        LOG.info("grew volume {} ({}) from {} to {} bytes", record.id(), printable(record.name()), record.capacityBytes(), size);
    }

    @Override
    public Optional<VolumeStatus> get(String volumeId) {
        return LocalVolumeId.parse(volumeId).filter(id -> id.node().equals(node))
                .flatMap(id -> volumes.get(id.uuid())).map(this::status);
    }

    @Override
    public VolumePage list(int maxEntries, String token) {
        Pages<VolumeStatus> page = Pages.page(volumes.byUuid(), token, maxEntries, record -> true, this::status);
        return new VolumePage(page.items(), page.nextToken());
    }

    @Override
    public Optional<String> unsupported(String volumeId, List<VolumeCapability> wanted) {
        VolumeRecord record = LocalVolumeId.parse(volumeId).filter(id -> id.node().equals(node))
                .flatMap(id -> volumes.get(id.uuid()))
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on node " + node));
        return Matching.unsupported(record, wanted);
    }

    @Override
    public CapacityReport capacity(CapacityQuery query) {
        if (!query.segment().isEmpty() && !node.equals(query.segment().get(Topology.NODE_KEY))) {
            return new CapacityReport(0, 0, 0);
        }
        LocalParameters parameters = LocalParameters.parse(query.parameters());
        if (!Access.servable(parameters, query.capabilities(), enforcer)) {
            return new CapacityReport(0, 0, 0); // no volume with these properties can be made here
        }
        FileSystemStats fs = stats();
        long available = parameters.type() == VolumeType.IMAGE && !parameters.overcommit()
                ? Math.max(room.room(fs), 0)
                : fs.availableBytes();
        return new CapacityReport(available, Math.min(available, sizes.maxVolume(fs)), 0);
    }

    /** A caller's name as it may appear in a log line: control characters escaped, length bounded. */
    public static String printable(String name) {
        StringBuilder out = new StringBuilder();
        name.codePoints().limit(MAX_NAME_BYTES).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    int count() {
        return volumes.size();
    }

    /**
     * Reads how much each promised image has written, for room accounting. Costs a stat per
     * volume, so it runs off the call path, every little while.
     */
    public void refreshAllocation() {
        room.refresh(volumes.all(), volumes::contains, layout);
        Map<String, Long> problems = new java.util.TreeMap<>(Map.of("image_missing", 0L, "directory_missing", 0L));
        for (VolumeRecord record : volumes.all()) {
            if (VolumeData.problem(layout, record).isPresent()) {
                problems.merge(record.type() == VolumeType.IMAGE ? "image_missing" : "directory_missing", 1L, Long::sum);
            }
        }
        abnormal = Map.copyOf(problems);
    }

    /** Volumes by kind ({@code image}, {@code directory}), counted in memory. */
    public Map<String, Long> volumesByKind() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (VolumeType type : VolumeType.values()) {
            counts.put(type.parameterValue(), 0L);
        }
        for (VolumeRecord record : volumes.all()) {
            counts.merge(record.type().parameterValue(), 1L, Long::sum);
        }
        return counts;
    }

    /** Bytes promised to volumes, and of those already written (as of the last refresh). */
    public long promisedBytes() {
        return room.promised();
    }

    public long writtenBytes() {
        return room.written();
    }

    /** Volumes whose data was found missing at the last refresh, by reason. */
    public Map<String, Long> abnormalByReason() {
        return abnormal;
    }

    // --- for the node and snapshot sides, which share the records and the locks ---------------

    public KeyLocks locks() {
        return locks;
    }

    public String node() {
        return node;
    }

    public Optional<VolumeRecord> record(String uuid) {
        return volumes.get(uuid);
    }

    public Optional<String> uuidOfName(String name) {
        return volumes.uuidOfName(name);
    }

    public VolumeCopies copies() {
        return copies;
    }

    /** Where volumes made from snapshots and clones find their sources. */
    public void restoreFrom(Restores snapshots) {
        sources.restoreFrom(snapshots);
    }

    /** Records that a volume's filesystem caught up with its image; the caller holds the volume's lock. */
    public void filesystemGrown(String uuid) {
        Optional<VolumeRecord> record = volumes.get(uuid);
        if (record.isPresent() && record.get().growPending()) {
            VolumeRecord grown = record.get().withGrowPending(false);
            records.save(grown);
            volumes.put(grown);
        }
    }

    /**
     * Records, durably, that the node begins ({@code true}) or has finished the first format of a
     * volume's blank image; the caller holds the volume's lock.
     */
    public void formatting(String uuid, boolean begun) {
        Optional<VolumeRecord> record = volumes.get(uuid);
        if (record.isPresent() && record.get().formatting() != begun) {
            VolumeRecord changed = record.get().withFormatting(begun);
            records.save(changed);
            volumes.put(changed);
        }
    }

    /** Tells listings which volumes are staged or published on this node. */
    public void reportUseWith(Predicate<String> usedHere) {
        this.usedHere = usedHere;
    }

    private FileSystemStats stats() {
        try {
            return StatFs.of(layout.root());
        } catch (SyscallException e) {
            throw new BackendUnavailable("the data directory cannot be examined: " + e.getMessage(), e);
        }
    }

    private Map<String, String> segment() {
        return Map.of(Topology.NODE_KEY, node);
    }

    private Volume volume(VolumeRecord record) {
        return Matching.volume(record, segment());
    }

    private VolumeStatus status(VolumeRecord record) {
        Optional<String> problem = VolumeData.problem(layout, record);
        List<String> nodes = usedHere.test(record.id().uuid()) ? List.of(node) : List.of();
        return new VolumeStatus(volume(record), nodes, problem.isPresent(), problem.orElse(""));
    }
}
