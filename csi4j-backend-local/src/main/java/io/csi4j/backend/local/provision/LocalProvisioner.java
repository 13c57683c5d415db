package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.Pages;
import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import io.csi4j.linux.FileAllocation;
import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.StatFs;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.CapacityReport;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumePage;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import io.csi4j.spi.VolumeStatus;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local volumes, controller side. Records are loaded once at start into two in-memory indexes
 * (by name, by ID), so every call costs the same however many volumes exist; each change
 * writes one record file. Per-volume locks refuse concurrent calls on one name or ID.
 */
public final class LocalProvisioner implements VolumeProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProvisioner.class);

    public static final long DEFAULT_SIZE = 1L << 30;
    public static final long XFS_MINIMUM = 300L << 20;
    /** The CSI spec's size limit for string fields. */
    public static final int MAX_NAME_BYTES = 128;

    private final String node;
    private final LocalLayout layout;
    private final RecordStore<VolumeRecord> records;
    private final VolumeData data;
    private final long maxVolumeBytes;
    private final KeyLocks locks = new KeyLocks();
    private final ConcurrentSkipListMap<String, VolumeRecord> byUuid = new ConcurrentSkipListMap<>();
    private final Map<String, String> uuidByName = new ConcurrentHashMap<>();
    private final AtomicLong reservedBytes = new AtomicLong();
    /** Of the promised bytes, those already written (allocated) inside image files, per volume. */
    private final Map<String, Long> writtenByUuid = new HashMap<>();
    private final AtomicLong writtenBytes = new AtomicLong();
    private final Object allocationLock = new Object();

    private final CapacityEnforcer enforcer;
    private final Set<Integer> projectIds = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Predicate<String> usedHere = uuid -> false;
    private final VolumeCopies copies;
    private Optional<Restores> sources = Optional.empty();

    public LocalProvisioner(String node, LocalLayout layout, long maxVolumeBytes, CapacityEnforcer enforcer) {
        this.node = node;
        this.layout = layout;
        this.records = RecordStore.volumes(layout.records());
        this.data = new VolumeData(layout, enforcer);
        this.copies = new VolumeCopies(layout, enforcer);
        this.maxVolumeBytes = maxVolumeBytes;
        this.enforcer = enforcer;
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
                case VolumeRecord.READY -> index(record);
                case VolumeRecord.CREATING, VolumeRecord.DELETING -> {
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
                default -> LOG.error("volume record {} has unknown state {}; leaving it alone", record.id(), record.state());
            }
        }
        // Records left alone above (another node's, unknown state, unreadable) still claim their data.
        data.removeOrphans(records.uuids());
        refreshAllocation();
        LOG.info("{} local volumes, {} bytes promised, {} of them written", byUuid.size(), reservedBytes.get(),
                writtenBytes.get());
    }

    @Override
    public Volume create(VolumeSpec spec) {
        if (spec.name().isEmpty()) {
            throw new InvalidParameter("the volume name is required");
        }
        if (spec.name().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new InvalidParameter("the volume name is longer than " + MAX_NAME_BYTES + " bytes (the CSI size limit)");
        }
        LocalParameters parameters = LocalParameters.parse(spec.parameters());
        Access access = Access.of(spec.capabilities(), parameters.type());
        try (KeyLocks.Held ignored = locks.acquire("name:" + spec.name(), "volume " + spec.name())) {
            String existing = uuidByName.get(spec.name());
            if (existing != null) {
                return existingVolume(byUuid.get(existing), spec, parameters, access);
            }
            if (!spec.topology().admits(segment())) {
                throw new CapacityExhausted("the requested topology excludes this node (" + node
                        + "); local volumes live on the node that creates them");
            }
            try (Source source = source(spec.source(), parameters, access)) {
                return createNew(spec, parameters, access, source);
            }
        }
    }

    private Volume createNew(VolumeSpec spec, LocalParameters parameters, Access access, Source source) {
        FileSystemStats fs = stats();
        long size = size(spec.capacity(), access, fs, source.minimumBytes());
        if (size < source.minimumBytes()) {
            throw new CapacityOutOfRange("the source holds " + source.minimumBytes() + " bytes: a volume made from it "
                    + "needs at least that much, not " + size);
        }
        boolean enforced = parameters.type() == VolumeType.IMAGE || parameters.enforceCapacity();
        if (parameters.type() == VolumeType.DIRECTORY && parameters.enforceCapacity() && !enforcer.enforces()) {
            throw new InvalidParameter("the capacity of directory volumes cannot be enforced on this node: "
                    + ((CapacityEnforcer.NotEnforced) enforcer).reason()
                    + "; mount the data directory's XFS or ext4 filesystem with prjquota, or use btrfs; "
                    + "or set enforceCapacity: \"false\" to accept unenforced capacity, or use type: image");
        }
        long reserve = parameters.overcommit() || !enforced ? 0 : size;
        if (!reserve(reserve, fs)) {
            throw new CapacityExhausted("not enough room for " + size + " bytes on this node: " + Math.max(room(fs), 0)
                    + " bytes are free and not promised to other volumes");
        }
        LocalVolumeId id = LocalVolumeId.random(node);
        long quotaId = parameters.type() == VolumeType.DIRECTORY && enforced ? projectId(id) : 0;
        VolumeRecord record = new VolumeRecord(id, spec.name(), VolumeRecord.CREATING,
                parameters.type(), size, access.block(), access.fsType(), reserve, enforced, quotaId,
                spec.parameters()).withSource(sourceOf(spec.source()));
        try (KeyLocks.Held alsoId = locks.acquire("id:" + record.id().uuid(), "volume " + record.id())) {
            records.save(record);
            VolumeRecord made;
            try {
                made = source.data().isPresent() ? source.fill(record) : data.create(record);
            } catch (RuntimeException e) {
                data.remove(record);
                records.remove(record.id().uuid());
                projectIds.remove((int) quotaId);
                throw e;
            }
            VolumeRecord ready = made.withState(VolumeRecord.READY);
            records.save(ready);
            track(ready); // its room was reserved above
            LOG.info("created {} volume {} ({}) of {} bytes{}", parameters.type().parameterValue(), ready.id(),
                    printable(ready.name()), size, source.describe());
            return volume(ready);
        } catch (RuntimeException e) {
            reservedBytes.addAndGet(-reserve);
            throw e;
        }
    }

    /**
     * What a new volume starts with, held (locked) while it is copied.
     *
     * @param data where the source's data is, empty for an empty volume
     */
    private record Source(Optional<java.nio.file.Path> data, long minimumBytes, String describe,
                          java.util.function.UnaryOperator<VolumeRecord> filler, KeyLocks.Held lock)
            implements AutoCloseable {

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

    private Source source(VolumeSource source, LocalParameters parameters, Access access) {
        return switch (source) {
            case VolumeSource.Empty empty -> new Source(Optional.empty(), 0, "", r -> r, null);
            case VolumeSource.FromSnapshot(String snapshotId) -> {
                SnapshotRecord snapshot = sources.flatMap(s -> s.record(snapshotId)).orElseThrow(
                        () -> new io.csi4j.spi.SnapshotNotFound("snapshot " + snapshotId + " does not exist on node " + node));
                sameKind("snapshot " + snapshotId, snapshot.type(), snapshot.block(), snapshot.fsType(), parameters, access);
                KeyLocks.Held held = sources.get().lock(snapshot);
                if (sources.get().record(snapshotId).isEmpty()) { // deleted before we held it
                    held.close();
                    throw new io.csi4j.spi.SnapshotNotFound("snapshot " + snapshotId + " does not exist on node " + node);
                }
                java.nio.file.Path path = copies.data(snapshot);
                yield new Source(Optional.of(path), snapshot.sizeBytes(), " from snapshot " + snapshotId,
                        r -> copies.fill(r, path), held);
            }
            case VolumeSource.FromVolume(String volumeId) -> {
                LocalVolumeId sourceId = LocalVolumeId.parse(volumeId).filter(v -> v.node().equals(node))
                        .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on node " + node));
                KeyLocks.Held held = locks.acquire("id:" + sourceId.uuid(), "volume " + volumeId);
                try {
                    VolumeRecord original = Optional.ofNullable(byUuid.get(sourceId.uuid()))
                            .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist"));
                    sameKind("volume " + volumeId, original.type(), original.block(), original.fsType(), parameters, access);
                    java.nio.file.Path path = copies.data(original);
                    yield new Source(Optional.of(path), original.capacityBytes(), " as a clone of " + volumeId,
                            r -> sources.map(s -> s.frozenWhile(original, () -> copies.fill(r, path)))
                                    .orElseGet(() -> copies.fill(r, path)), held);
                } catch (RuntimeException e) {
                    held.close();
                    throw e;
                }
            }
        };
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

    /** How a record names what a volume was made from. */
    public static String sourceOf(VolumeSource source) {
        return switch (source) {
            case VolumeSource.Empty empty -> "";
            case VolumeSource.FromSnapshot(String id) -> "snapshot:" + id;
            case VolumeSource.FromVolume(String id) -> "volume:" + id;
        };
    }

    private Volume existingVolume(VolumeRecord record, VolumeSpec spec, LocalParameters parameters, Access access) {
        if (!record.source().equals(sourceOf(spec.source()))) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists, made from "
                    + (record.source().isEmpty() ? "nothing" : record.source()));
        }
        if (record.type() != parameters.type()) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists with type " + record.type().parameterValue());
        }
        if (!LocalParameters.parse(record.parameters()).equals(parameters)) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists with other parameters "
                    + new java.util.TreeMap<>(record.parameters()));
        }
        if (record.block() != access.block() || !record.fsType().equals(access.fsType())) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists as "
                    + (record.block() ? "a block volume" : "a " + record.fsType() + " filesystem"));
        }
        if (!spec.capacity().admits(record.capacityBytes())) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists with " + record.capacityBytes()
                    + " bytes, outside the requested range");
        }
        if (!spec.topology().admits(segment())) {
            throw new VolumeAlreadyExists("volume " + spec.name() + " exists on node " + node
                    + ", which the requested topology excludes");
        }
        return volume(record);
    }

    @Override
    public void delete(String volumeId) {
        Optional<LocalVolumeId> parsed = LocalVolumeId.parse(volumeId);
        if (parsed.isEmpty()) {
            return; // not an ID we could have issued: nothing of ours to delete
        }
        LocalVolumeId id = parsed.get();
        if (!id.node().equals(node)) {
            throw new FailedPrecondition("volume " + volumeId + " lives on node " + id.node()
                    + "; delete it through the driver on that node");
        }
        try (KeyLocks.Held ignored = locks.acquire("id:" + id.uuid(), "volume " + volumeId)) {
            VolumeRecord record = byUuid.get(id.uuid());
            if (record == null) {
                return;
            }
            try (KeyLocks.Held alsoName = locks.acquire("name:" + record.name(), "volume " + record.name())) {
                data.inUse(record).ifPresent(use -> {
                    throw new FailedPrecondition("volume " + volumeId + " (" + record.name() + ") is in use on node "
                            + node + ": " + use + "; unpublish and unstage it first");
                });
                records.save(record.withState(VolumeRecord.DELETING));
                data.remove(record);
                records.remove(id.uuid());
                unindex(record);
                LOG.info("deleted volume {} ({})", id, printable(record.name()));
            }
        }
    }

    @Override
    public io.csi4j.spi.Expansion expand(String volumeId, CapacityRange range) {
        LocalVolumeId id = LocalVolumeId.parse(volumeId).filter(v -> v.node().equals(node))
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on node " + node));
        try (KeyLocks.Held ignored = locks.acquire("id:" + id.uuid(), "volume " + volumeId)) {
            VolumeRecord record = Optional.ofNullable(byUuid.get(id.uuid()))
                    .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist"));
            boolean nodeSide = record.type() == VolumeType.IMAGE;
            if (range.hasLimit() && record.capacityBytes() > range.limitBytes()) {
                throw new CapacityOutOfRange("volume " + volumeId + " has " + record.capacityBytes()
                        + " bytes, more than the limit of " + range.limitBytes() + "; volumes do not shrink");
            }
            if (!range.hasRequired()) {
                return new io.csi4j.spi.Expansion(record.capacityBytes(), nodeSide);
            }
            FileSystemStats fs = stats();
            long block = Math.max(fs.blockSize(), 512);
            long size = Math.ceilDiv(range.requiredBytes(), block) * block;
            if (size < record.capacityBytes()) {
                throw new CapacityOutOfRange("volume " + volumeId + " has " + record.capacityBytes()
                        + " bytes; it cannot shrink to " + range.requiredBytes());
            }
            if (size == record.capacityBytes()) {
                return new io.csi4j.spi.Expansion(size, nodeSide); // asked again: already done
            }
            if (size > maxVolume(fs) || (range.hasLimit() && size > range.limitBytes())) {
                throw new CapacityOutOfRange(size + " bytes exceed the largest volume this node offers ("
                        + Math.min(maxVolume(fs), range.hasLimit() ? range.limitBytes() : Long.MAX_VALUE) + " bytes)");
            }
            long newReserved = record.reservedBytes() > 0 ? size : 0;
            if (!reserve(newReserved - record.reservedBytes(), fs)) {
                throw new CapacityExhausted("not enough room to grow volume " + volumeId + " to " + size + " bytes: "
                        + Math.max(room(fs), 0) + " bytes are free and not promised to other volumes");
            }
            try {
                data.grow(record, size); // first: a crash before the record is saved only repeats this
            } catch (RuntimeException e) {
                reservedBytes.addAndGet(record.reservedBytes() - newReserved);
                throw e;
            }
            VolumeRecord grown = record.grownTo(size, newReserved);
            records.save(grown);
            byUuid.put(id.uuid(), grown);
            LOG.info("grew volume {} ({}) from {} to {} bytes", id, printable(record.name()), record.capacityBytes(), size);
            return new io.csi4j.spi.Expansion(size, nodeSide);
        }
    }

    @Override
    public Optional<VolumeStatus> get(String volumeId) {
        return LocalVolumeId.parse(volumeId)
                .filter(id -> id.node().equals(node))
                .map(id -> byUuid.get(id.uuid()))
                .map(this::status);
    }

    @Override
    public VolumePage list(int maxEntries, String token) {
        Pages<VolumeStatus> page = Pages.page(byUuid, token, maxEntries, record -> true, this::status);
        return new VolumePage(page.items(), page.nextToken());
    }

    @Override
    public Optional<String> unsupported(String volumeId, List<VolumeCapability> wanted) {
        VolumeRecord record = LocalVolumeId.parse(volumeId)
                .filter(id -> id.node().equals(node))
                .map(id -> byUuid.get(id.uuid()))
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist on node " + node));
        for (VolumeCapability capability : wanted) {
            if (capability.mode().multiNode()) {
                return Optional.of("local volumes live on one node: access mode " + capability.mode() + " is not supported");
            }
            if (capability.isBlock() != record.block()) {
                return Optional.of(record.block() ? "the volume is a raw block volume" : "the volume is a filesystem volume");
            }
            if (capability.access() instanceof VolumeCapability.Mount mount && !mount.fsType().isEmpty()
                    && !mount.fsType().equals(record.fsType())) {
                return Optional.of("the volume has a " + record.fsType() + " filesystem, not " + mount.fsType());
            }
        }
        return Optional.empty();
    }

    @Override
    public CapacityReport capacity(CapacityQuery query) {
        if (!query.segment().isEmpty() && !node.equals(query.segment().get(io.csi4j.spi.Topology.NODE_KEY))) {
            return new CapacityReport(0, 0, 0);
        }
        LocalParameters parameters = LocalParameters.parse(query.parameters());
        if (!servable(parameters, query.capabilities())) {
            return new CapacityReport(0, 0, 0); // no volume with these properties can be made here
        }
        FileSystemStats fs = stats();
        long available = parameters.type() == VolumeType.IMAGE && !parameters.overcommit()
                ? Math.max(room(fs), 0)
                : fs.availableBytes();
        return new CapacityReport(available, Math.min(available, maxVolume(fs)), 0);
    }

    /** Whether CreateVolume could make a volume with these parameters and all these capabilities. */
    private boolean servable(LocalParameters parameters, List<VolumeCapability> capabilities) {
        if (parameters.type() == VolumeType.DIRECTORY && parameters.enforceCapacity() && !enforcer.enforces()) {
            return false;
        }
        if (capabilities.isEmpty()) {
            return true;
        }
        try {
            Access.of(capabilities, parameters.type());
            return true;
        } catch (InvalidParameter e) {
            return false;
        }
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

    public int count() {
        return byUuid.size();
    }

    // --- for the node side, which shares the records and the locks --------------------------

    public KeyLocks locks() {
        return locks;
    }

    public String node() {
        return node;
    }

    public Optional<VolumeRecord> record(String uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    /** Why the volume's data is not as its record says, if it is not. */
    public Optional<String> dataProblem(VolumeRecord record) {
        return data.problem(record);
    }

    public Optional<String> uuidOfName(String name) {
        return Optional.ofNullable(uuidByName.get(name));
    }

    public VolumeCopies copies() {
        return copies;
    }

    /** Where volumes made from snapshots and clones find their sources. */
    public void restoreFrom(Restores snapshots) {
        this.sources = Optional.of(snapshots);
    }

    /** Records that a volume's filesystem caught up with its image; the caller holds the volume's lock. */
    public void filesystemGrown(String uuid) {
        VolumeRecord record = byUuid.get(uuid);
        if (record != null && record.growPending()) {
            VolumeRecord grown = record.withGrowPending(false);
            records.save(grown);
            byUuid.put(uuid, grown);
        }
    }

    /** Tells listings which volumes are staged or published on this node. */
    public void reportUseWith(java.util.function.Predicate<String> usedHere) {
        this.usedHere = usedHere;
    }

    // --- sizes and room -------------------------------------------------------------------

    /** The size to give: what was asked (or the default), rounded up to the block size, within bounds. */
    private long size(CapacityRange range, Access access, FileSystemStats fs, long sourceBytes) {
        if (sourceBytes > 0 && !range.hasRequired()) {
            // Without a size asked for, a copy is as large as its source.
            range = new CapacityRange(sourceBytes, range.limitBytes());
        }
        if (sourceBytes > 0 && range.hasLimit() && range.limitBytes() < sourceBytes) {
            throw new CapacityOutOfRange("the source holds " + sourceBytes + " bytes, more than the limit of "
                    + range.limitBytes());
        }
        if (sourceBytes > 0 && range.requiredBytes() < sourceBytes) {
            throw new CapacityOutOfRange("the source holds " + sourceBytes + " bytes, more than the "
                    + range.requiredBytes() + " asked for");
        }
        return size(range, access, fs);
    }

    private long size(CapacityRange range, Access access, FileSystemStats fs) {
        if (range.hasRequired() && range.hasLimit() && range.limitBytes() < range.requiredBytes()) {
            throw new CapacityOutOfRange("the capacity limit " + range.limitBytes() + " is below the required "
                    + range.requiredBytes() + " bytes");
        }
        long block = Math.max(fs.blockSize(), 512);
        boolean xfs = !access.block() && access.fsType().equals("xfs");
        long minimum = xfs ? XFS_MINIMUM : block; // mkfs.xfs refuses smaller devices
        long wanted = range.hasRequired() ? range.requiredBytes() : DEFAULT_SIZE;
        long max = maxVolume(fs);
        if (range.hasRequired() && wanted > max) { // checked before rounding, which could overflow
            throw new CapacityOutOfRange(wanted + " bytes exceed the largest volume this node offers (" + max + " bytes)");
        }
        long size = Math.ceilDiv(Math.max(wanted, minimum), block) * block;
        if (range.hasLimit() && size > range.limitBytes()) {
            // With only a limit, any size up to it will do: take the largest whole-block one.
            long fitting = range.limitBytes() / block * block;
            if (range.hasRequired() || fitting < minimum) {
                long smallest = range.hasRequired() ? size : Math.ceilDiv(minimum, block) * block;
                throw new CapacityOutOfRange("the smallest volume that fits (" + smallest + " bytes"
                        + (xfs ? ", xfs needs 300 MiB" : ", in whole " + block + "-byte blocks")
                        + ") exceeds the limit of " + range.limitBytes() + " bytes");
            }
            size = fitting;
        }
        if (size > max) {
            throw new CapacityOutOfRange(size + " bytes exceed the largest volume this node offers (" + max + " bytes)");
        }
        return size;
    }

    /**
     * Promises {@code bytes} if the room allows, checking and promising in one step so that
     * concurrent creates cannot both take the last of the room. Nothing to promise always fits.
     */
    private boolean reserve(long bytes, FileSystemStats fs) {
        while (bytes > 0) {
            long promised = reservedBytes.get();
            if (bytes > fs.availableBytes() - (promised - writtenBytes.get())) {
                return false;
            }
            if (reservedBytes.compareAndSet(promised, promised + bytes)) {
                break;
            }
        }
        return true;
    }

    private long maxVolume(FileSystemStats fs) {
        return maxVolumeBytes > 0 ? maxVolumeBytes : fs.totalBytes();
    }

    /**
     * Room for new promises: free space minus what existing volumes were promised and have not
     * written yet. What they wrote is already gone from the free space; it is known as of the last
     * {@link #refreshAllocation}, and until then counts as unwritten (the safe side).
     */
    private long room(FileSystemStats fs) {
        return fs.availableBytes() - (reservedBytes.get() - writtenBytes.get());
    }

    /**
     * Reads how much each promised image has written (its allocated blocks). Costs a stat per
     * volume, so it runs off the call path, every little while.
     */
    public void refreshAllocation() {
        for (VolumeRecord record : byUuid.values()) {
            if (record.type() != VolumeType.IMAGE || record.reservedBytes() == 0) {
                continue;
            }
            long written;
            try {
                written = Math.min(FileAllocation.allocatedBytes(layout.image(record.id())), record.reservedBytes());
            } catch (SyscallException e) {
                continue; // deleted meanwhile, or damaged: its condition says so
            }
            synchronized (allocationLock) {
                if (byUuid.containsKey(record.id().uuid())) {
                    Long before = writtenByUuid.put(record.id().uuid(), written);
                    writtenBytes.addAndGet(written - (before == null ? 0 : before));
                }
            }
        }
    }

    private FileSystemStats stats() {
        try {
            return StatFs.of(layout.root());
        } catch (SyscallException e) {
            throw new BackendUnavailable("the data directory cannot be examined: " + e.getMessage(), e);
        }
    }

    // --- indexes and views ----------------------------------------------------------------

    private void index(VolumeRecord record) {
        track(record);
        reservedBytes.addAndGet(record.reservedBytes());
    }

    private void track(VolumeRecord record) {
        if (record.type() == VolumeType.DIRECTORY && record.quotaId() > 0
                && enforcer instanceof CapacityEnforcer.ProjectQuotas) {
            projectIds.add((int) record.quotaId()); // so that no new volume takes it
        }
        byUuid.put(record.id().uuid(), record);
        uuidByName.put(record.name(), record.id().uuid());
    }

    private void unindex(VolumeRecord record) {
        if (byUuid.remove(record.id().uuid()) != null) {
            synchronized (allocationLock) {
                Long written = writtenByUuid.remove(record.id().uuid());
                writtenBytes.addAndGet(written == null ? 0 : -written);
            }
            projectIds.remove((int) record.quotaId());
            uuidByName.remove(record.name(), record.id().uuid());
            reservedBytes.addAndGet(-record.reservedBytes());
        }
    }

    /**
     * A project ID for a new directory volume: derived from its UUID, in a range clear of the small
     * IDs administrators hand out, and not used by another volume here.
     */
    private int projectId(LocalVolumeId id) {
        int candidate = (int) (Long.parseLong(id.uuid().substring(0, 7), 16) % (Integer.MAX_VALUE - (1 << 24))) + (1 << 24);
        while (!projectIds.add(candidate)) {
            candidate = candidate == Integer.MAX_VALUE ? 1 << 24 : candidate + 1;
        }
        return candidate;
    }

    private Map<String, String> segment() {
        return Map.of(io.csi4j.spi.Topology.NODE_KEY, node);
    }

    private Volume volume(VolumeRecord record) {
        Map<String, String> context = new HashMap<>();
        context.put("type", record.type().parameterValue());
        context.put("access", record.block() ? "block" : "mount");
        if (!record.block() && !record.fsType().isEmpty()) {
            context.put("fsType", record.fsType());
        }
        context.put("capacityEnforced", Boolean.toString(record.capacityEnforced()));
        return new Volume(record.id().toString(), record.capacityBytes(), context, List.of(segment()));
    }

    private VolumeStatus status(VolumeRecord record) {
        Optional<String> problem = data.problem(record);
        List<String> nodes = usedHere.test(record.id().uuid()) ? List.of(node) : List.of();
        return new VolumeStatus(volume(record), nodes, problem.isPresent(), problem.orElse(""));
    }

    /** How a volume will be accessed, from the capabilities asked for. */
    public record Access(boolean block, String fsType) {

        static Access of(List<VolumeCapability> capabilities, VolumeType type) {
            if (capabilities.isEmpty()) {
                throw new InvalidParameter("at least one volume capability is required");
            }
            boolean block = capabilities.getFirst().isBlock();
            String fsType = null;
            for (VolumeCapability capability : capabilities) {
                if (capability.mode().multiNode()) {
                    throw new InvalidParameter("local volumes live on one node: access mode " + capability.mode()
                            + " cannot be given");
                }
                if (capability.isBlock() != block) {
                    throw new InvalidParameter("a volume is either a raw block device or a filesystem, not both");
                }
                if (capability.access() instanceof VolumeCapability.Mount mount && !mount.fsType().isEmpty()) {
                    if (fsType != null && !fsType.equals(mount.fsType())) {
                        throw new InvalidParameter("conflicting filesystem types " + fsType + " and " + mount.fsType());
                    }
                    fsType = mount.fsType();
                }
            }
            if (block && type == VolumeType.DIRECTORY) {
                throw new InvalidParameter("directory volumes give filesystem access only, not raw block");
            }
            if (block) {
                return new Access(true, "");
            }
            if (type == VolumeType.DIRECTORY) {
                if (fsType != null) {
                    throw new InvalidParameter("directory volumes use the data directory's filesystem; "
                            + "fsType " + fsType + " cannot be given");
                }
                return new Access(false, "");
            }
            String fs = fsType == null ? "ext4" : fsType;
            io.csi4j.linux.Mkfs.unavailable(fs).ifPresent(reason -> {
                throw new InvalidParameter(reason);
            });
            return new Access(false, fs);
        }
    }
}
