package io.csi4j.backend.local.snapshot;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.provision.Restores;
import io.csi4j.backend.local.provision.VolumeCopies;
import io.csi4j.backend.local.store.GroupRecord;
import io.csi4j.backend.local.store.Pages;
import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalSnapshotId;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import io.csi4j.linux.Freeze;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.GroupSnapshot;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Snapshot;
import io.csi4j.spi.SnapshotPage;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of local volumes and consistent groups of them. A snapshot is a copy of the volume's
 * data under {@code snapshots/} (a reflink where the filesystem allows) with its own record; it
 * outlives its volume. When the source's filesystem is mounted on this node it is frozen around
 * the copy, so the snapshot mounts clean; a group freezes all its volumes first, then copies.
 */
public final class LocalSnapshots implements VolumeSnapshots, Restores {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSnapshots.class);
    /** Longest a volume stays frozen for a snapshot; the watchdog thaws it after that, whatever happens. */
    public static final Duration MAX_FROZEN = Duration.ofSeconds(120);
    private static final String CREATING = VolumeRecord.CREATING;
    private static final String READY = VolumeRecord.READY;
    private static final String DELETING = VolumeRecord.DELETING;

    private final LocalProvisioner provisioner;
    private final LocalLayout layout;
    private final VolumeCopies copies;
    private final KeyLocks locks;
    private final Function<String, Optional<Path>> mountedFilesystem;
    private final RecordStore<SnapshotRecord> store;
    private final RecordStore<GroupRecord> groupStore;
    private final ConcurrentSkipListMap<String, SnapshotRecord> byUuid = new ConcurrentSkipListMap<>();
    private final Map<String, String> uuidByName = new ConcurrentHashMap<>();
    private final Map<String, GroupRecord> groups = new ConcurrentHashMap<>();
    private final Map<String, String> groupByName = new ConcurrentHashMap<>();

    /**
     * @param mountedFilesystem where a volume's filesystem is mounted on this node, by volume UUID
     */
    public LocalSnapshots(LocalProvisioner provisioner, LocalLayout layout, VolumeCopies copies,
                   Function<String, Optional<Path>> mountedFilesystem) {
        this.provisioner = provisioner;
        this.layout = layout;
        this.copies = copies;
        this.locks = provisioner.locks();
        this.mountedFilesystem = mountedFilesystem;
        this.store = new RecordStore<>(layout.snapshotRecords(), ".snapshot", r -> r.id().uuid(),
                SnapshotRecord::toProperties, SnapshotRecord::fromProperties);
        this.groupStore = new RecordStore<>(layout.groupRecords(), ".group", r -> r.id().uuid(),
                GroupRecord::toProperties, GroupRecord::fromProperties);
    }

    /** Loads the records; finishes or undoes what a crash interrupted, and removes unclaimed data. */
    public void recover() throws IOException {
        for (GroupRecord group : groupStore.loadAll()) {
            if (group.state().equals(READY)) {
                groups.put(group.id().uuid(), group);
                groupByName.put(group.name(), group.id().uuid());
            } else {
                LOG.info("finishing interrupted {} of group snapshot {}", group.state(), group.id());
                for (String member : group.snapshotIds()) {
                    LocalSnapshotId.parse(member, LocalSnapshotId.SNAPSHOT).ifPresent(id -> store.remove(id.uuid()));
                }
                groupStore.remove(group.id().uuid());
            }
        }
        for (SnapshotRecord snapshot : store.loadAll()) {
            if (snapshot.state().equals(READY)) {
                index(snapshot);
            } else {
                LOG.info("finishing interrupted {} of snapshot {}", snapshot.state(), snapshot.id());
                copies.remove(snapshot);
                store.remove(snapshot.id().uuid());
            }
        }
        removeOrphans(store.uuids());
        LOG.info("{} snapshots, {} group snapshots", byUuid.size(), groups.size());
    }

    // --- single snapshots ------------------------------------------------------------------------

    @Override
    public Snapshot create(String name, String sourceVolumeId, Map<String, String> parameters) {
        checkName(name);
        checkParameters(parameters);
        try (KeyLocks.Held ignored = locks.acquire("snapshot-name:" + name, "snapshot " + name)) {
            String existing = uuidByName.get(name);
            if (existing != null) {
                SnapshotRecord record = byUuid.get(existing);
                if (!record.sourceVolumeId().equals(sourceVolumeId)) {
                    throw new VolumeAlreadyExists("snapshot " + name + " exists, of volume " + record.sourceVolumeId());
                }
                return view(record);
            }
            LocalVolumeId source = volumeId(sourceVolumeId);
            try (KeyLocks.Held alsoSource = locks.acquire("id:" + source.uuid(), "volume " + source)) {
                VolumeRecord volume = volume(source);
                SnapshotRecord made;
                try (Frozen frozen = freeze(List.of(volume))) {
                    LocalSnapshotId snapshotId = LocalSnapshotId.random(LocalSnapshotId.SNAPSHOT, provisioner.node());
                    made = take(volume, name, snapshotId, "");
                    try {
                        frozen.checkHeld();
                    } catch (RuntimeException e) {
                        remove(made);
                        throw e;
                    }
                }
                LOG.info("snapshot {} ({}) of volume {} taken", made.id(), LocalProvisioner.printable(name), source);
                return view(made);
            }
        }
    }

    /** Copies the volume into a new snapshot: its record says {@code creating} until the copy is whole. */
    private SnapshotRecord take(VolumeRecord volume, String name, LocalSnapshotId id, String groupId) {
        SnapshotRecord record = new SnapshotRecord(id, name, CREATING, volume.id().toString(), volume.type(),
                volume.block(), volume.fsType(), volume.capacityBytes(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                groupId);
        store.save(record);
        try {
            copies.snapshot(volume, record);
        } catch (RuntimeException e) {
            try {
                copies.remove(record);
                store.remove(id.uuid());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        SnapshotRecord ready = record.withState(READY);
        store.save(ready);
        index(ready);
        return ready;
    }

    @Override
    public void delete(String snapshotId) {
        Optional<LocalSnapshotId> parsed = LocalSnapshotId.parse(snapshotId, LocalSnapshotId.SNAPSHOT);
        if (parsed.isEmpty()) {
            return; // not an ID we could have issued
        }
        LocalSnapshotId id = parsed.get();
        if (!id.node().equals(provisioner.node())) {
            throw new FailedPrecondition("snapshot " + snapshotId + " lives on node " + id.node()
                    + "; delete it through the driver on that node");
        }
        try (KeyLocks.Held ignored = locks.acquire("snapshot:" + id.uuid(), "snapshot " + snapshotId)) {
            SnapshotRecord record = byUuid.get(id.uuid());
            if (record == null) {
                return;
            }
            if (!record.groupId().isEmpty()) {
                throw new FailedPrecondition("snapshot " + snapshotId + " belongs to group snapshot " + record.groupId()
                        + "; delete the group");
            }
            remove(record);
        }
    }

    private void remove(SnapshotRecord record) {
        store.save(record.withState(DELETING));
        copies.remove(record);
        store.remove(record.id().uuid());
        unindex(record);
        LOG.info("deleted snapshot {} ({})", record.id(), LocalProvisioner.printable(record.name()));
    }

    @Override
    public Optional<Snapshot> get(String snapshotId) {
        return record(snapshotId).map(this::view);
    }

    /** The snapshot with this ID on this node, if any: what a restore reads. */
    @Override
    public Optional<SnapshotRecord> record(String snapshotId) {
        return LocalSnapshotId.parse(snapshotId, LocalSnapshotId.SNAPSHOT)
                .filter(id -> id.node().equals(provisioner.node()))
                .map(id -> byUuid.get(id.uuid()));
    }

    public Path data(SnapshotRecord snapshot) {
        return copies.data(snapshot);
    }

    /** Takes the snapshot's lock for the length of a restore, so it is not deleted under it. */
    @Override
    public KeyLocks.Held lock(SnapshotRecord snapshot) {
        return locks.acquire("snapshot:" + snapshot.id().uuid(), "snapshot " + snapshot.id());
    }

    @Override
    public SnapshotPage list(String snapshotId, String sourceVolumeId, int maxEntries, String token) {
        if (!snapshotId.isEmpty()) {
            List<Snapshot> one = get(snapshotId)
                    .filter(s -> sourceVolumeId.isEmpty() || s.sourceVolumeId().equals(sourceVolumeId))
                    .map(List::of).orElse(List.of());
            return new SnapshotPage(one, "");
        }
        Pages<Snapshot> page = Pages.page(byUuid, token, maxEntries,
                record -> sourceVolumeId.isEmpty() || record.sourceVolumeId().equals(sourceVolumeId), this::view);
        return new SnapshotPage(page.items(), page.nextToken());
    }

    // --- groups --------------------------------------------------------------------------------

    @Override
    public GroupSnapshot createGroup(String name, List<String> sourceVolumeIds, Map<String, String> parameters) {
        checkName(name);
        checkParameters(parameters);
        try (KeyLocks.Held ignored = locks.acquire("group-name:" + name, "group snapshot " + name)) {
            String existing = groupByName.get(name);
            if (existing != null) {
                GroupRecord group = groups.get(existing);
                if (!new HashSet<>(group.sourceVolumeIds()).equals(new HashSet<>(sourceVolumeIds))) {
                    throw new VolumeAlreadyExists("group snapshot " + name + " exists, of volumes " + group.sourceVolumeIds());
                }
                return view(group);
            }
            List<LocalVolumeId> sources = sourceVolumeIds.stream().map(this::volumeId).toList();
            List<KeyLocks.Held> held = new ArrayList<>();
            try {
                // In one order, so two groups over the same volumes cannot each hold half.
                for (LocalVolumeId source : sources.stream().sorted((a, b) -> a.uuid().compareTo(b.uuid())).toList()) {
                    held.add(locks.acquire("id:" + source.uuid(), "volume " + source));
                }
                List<VolumeRecord> volumes = sources.stream().map(this::volume).toList();
                return view(takeGroup(name, volumes));
            } finally {
                held.reversed().forEach(KeyLocks.Held::close);
            }
        }
    }

    private GroupRecord takeGroup(String name, List<VolumeRecord> volumes) {
        LocalSnapshotId groupId = LocalSnapshotId.random(LocalSnapshotId.GROUP, provisioner.node());
        List<LocalSnapshotId> memberIds = volumes.stream()
                .map(v -> LocalSnapshotId.random(LocalSnapshotId.SNAPSHOT, provisioner.node())).toList();
        GroupRecord group = new GroupRecord(groupId, name, CREATING,
                volumes.stream().map(v -> v.id().toString()).toList(),
                memberIds.stream().map(LocalSnapshotId::toString).toList(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        groupStore.save(group); // first: a crash from here on is undone at start
        List<SnapshotRecord> taken = new ArrayList<>();
        try (Frozen frozen = freeze(volumes)) {
            for (int i = 0; i < volumes.size(); i++) {
                taken.add(take(volumes.get(i), name + "/" + i, memberIds.get(i), groupId.toString()));
            }
            frozen.checkHeld();
        } catch (RuntimeException e) {
            for (SnapshotRecord member : taken) {
                try {
                    remove(member);
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            groupStore.remove(groupId.uuid());
            throw e;
        }
        GroupRecord ready = group.withState(READY);
        groupStore.save(ready);
        groups.put(groupId.uuid(), ready);
        groupByName.put(name, groupId.uuid());
        LOG.info("group snapshot {} ({}) of {} volumes taken", groupId, LocalProvisioner.printable(name), volumes.size());
        return ready;
    }

    @Override
    public void deleteGroup(String groupId, List<String> snapshotIds) {
        Optional<LocalSnapshotId> parsed = LocalSnapshotId.parse(groupId, LocalSnapshotId.GROUP);
        if (parsed.isEmpty()) {
            return;
        }
        if (!parsed.get().node().equals(provisioner.node())) {
            throw new FailedPrecondition("group snapshot " + groupId + " lives on node " + parsed.get().node()
                    + "; delete it through the driver on that node");
        }
        try (KeyLocks.Held ignored = locks.acquire("group:" + parsed.get().uuid(), "group snapshot " + groupId)) {
            GroupRecord group = groups.get(parsed.get().uuid());
            if (group == null) {
                return;
            }
            checkMembers(group, snapshotIds);
            List<KeyLocks.Held> members = new ArrayList<>();
            try {
                // A restore reading a member holds its lock: the member must not go under it.
                for (String member : group.snapshotIds().stream().sorted().toList()) {
                    LocalSnapshotId.parse(member, LocalSnapshotId.SNAPSHOT).ifPresent(id ->
                            members.add(locks.acquire("snapshot:" + id.uuid(), "snapshot " + member)));
                }
                groupStore.save(group.withState(DELETING));
                for (String member : group.snapshotIds()) {
                    record(member).ifPresent(this::remove);
                }
            } finally {
                members.reversed().forEach(KeyLocks.Held::close);
            }
            groupStore.remove(group.id().uuid());
            groups.remove(group.id().uuid());
            groupByName.remove(group.name(), group.id().uuid());
            LOG.info("deleted group snapshot {} ({})", group.id(), LocalProvisioner.printable(group.name()));
        }
    }

    @Override
    public Optional<GroupSnapshot> getGroup(String groupId, List<String> snapshotIds) {
        Optional<GroupRecord> group = LocalSnapshotId.parse(groupId, LocalSnapshotId.GROUP)
                .filter(id -> id.node().equals(provisioner.node()))
                .map(id -> groups.get(id.uuid()));
        group.ifPresent(g -> checkMembers(g, snapshotIds));
        return group.map(this::view);
    }

    private static void checkMembers(GroupRecord group, List<String> snapshotIds) {
        if (!snapshotIds.isEmpty() && !new HashSet<>(snapshotIds).equals(new HashSet<>(group.snapshotIds()))) {
            throw new FailedPrecondition("group snapshot " + group.id() + " has the snapshots " + group.snapshotIds()
                    + ", not " + snapshotIds);
        }
    }

    // --- freezing ---------------------------------------------------------------------------------

    /** The filesystems of several volumes, frozen; closing thaws them all. */
    private static final class Frozen implements AutoCloseable {
        private final List<Freeze.Frozen> frozen = new ArrayList<>();

        /** Fails when the watchdog thawed a filesystem before the copy was done: the copy may be torn. */
        void checkHeld() {
            for (Freeze.Frozen f : frozen) {
                if (f.thawedByWatchdog()) {
                    throw new io.csi4j.spi.BackendUnavailable("the filesystem at " + f.mountPoint() + " could not stay "
                            + "frozen for the whole copy (over " + MAX_FROZEN.toSeconds() + " s); the copy was abandoned");
                }
            }
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (Freeze.Frozen f : frozen.reversed()) {
                try {
                    f.close();
                } catch (IOException e) {
                    failure = failure == null ? new UncheckedIOException("cannot thaw " + f.mountPoint(), e) : failure;
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Runs {@code work} (a clone's copy) with the volume's filesystem frozen if it is mounted here. */
    @Override
    public <T> T frozenWhile(VolumeRecord volume, java.util.function.Supplier<T> work) {
        try (Frozen frozen = freeze(List.of(volume))) {
            T done = work.get();
            frozen.checkHeld(); // the caller undoes its half-made clone
            return done;
        }
    }

    /** Freezes the filesystems of those volumes that are mounted on this node (images only). */
    private Frozen freeze(List<VolumeRecord> volumes) {
        Frozen all = new Frozen();
        try {
            for (VolumeRecord volume : volumes) {
                if (volume.type() != VolumeType.IMAGE || volume.block()) {
                    continue; // a directory's filesystem is the data directory's: freezing it stops everything
                }
                Optional<Path> mount = mountedFilesystem.apply(volume.id().uuid());
                if (mount.isPresent()) {
                    all.frozen.add(Freeze.freeze(mount.get(), MAX_FROZEN));
                }
            }
            return all;
        } catch (SyscallException | RuntimeException e) {
            all.close();
            throw e instanceof SyscallException s ? new UncheckedIOException("cannot freeze a volume for its snapshot", s)
                    : (RuntimeException) e;
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private LocalVolumeId volumeId(String sourceVolumeId) {
        return LocalVolumeId.parse(sourceVolumeId)
                .filter(id -> id.node().equals(provisioner.node()))
                .orElseThrow(() -> new VolumeNotFound("volume " + sourceVolumeId + " does not exist on this node"));
    }

    private VolumeRecord volume(LocalVolumeId id) {
        return provisioner.record(id.uuid())
                .orElseThrow(() -> new VolumeNotFound("volume " + id + " does not exist"));
    }

    private static void checkName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > LocalProvisioner.MAX_NAME_BYTES) {
            throw new InvalidParameter("the snapshot name is longer than " + LocalProvisioner.MAX_NAME_BYTES + " bytes");
        }
    }

    private static void checkParameters(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!key.startsWith("csi.storage.k8s.io/")) {
                throw new InvalidParameter("unknown snapshot parameter '" + key + "'; local snapshots take none");
            }
        }
    }

    private void index(SnapshotRecord record) {
        byUuid.put(record.id().uuid(), record);
        if (record.groupId().isEmpty()) {
            uuidByName.put(record.name(), record.id().uuid());
        }
    }

    private void unindex(SnapshotRecord record) {
        byUuid.remove(record.id().uuid());
        uuidByName.remove(record.name(), record.id().uuid());
    }

    private Snapshot view(SnapshotRecord record) {
        return new Snapshot(record.id().toString(), record.sourceVolumeId(), record.sizeBytes(), record.createdAt(),
                true, record.groupId());
    }

    private GroupSnapshot view(GroupRecord group) {
        List<Snapshot> members = group.snapshotIds().stream().map(this::record)
                .flatMap(Optional::stream).map(this::view).toList();
        return new GroupSnapshot(group.id().toString(), members, group.createdAt(),
                members.size() == group.snapshotIds().size());
    }

    private void removeOrphans(Set<String> known) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.snapshots())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.matches("[0-9a-f]{32}(\\.img)?") || known.contains(name.substring(0, 32))) {
                    continue;
                }
                LOG.info("removing orphaned snapshot data {}", entry);
                SnapshotRecord stub = new SnapshotRecord(new LocalSnapshotId(LocalSnapshotId.SNAPSHOT, name.substring(0, 32),
                        provisioner.node()), "", DELETING, "", Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        ? VolumeType.DIRECTORY : VolumeType.IMAGE, false, "", 0, Instant.EPOCH, "");
                copies.remove(stub);
            }
        }
    }
}
