package io.csi4j.backend.local.snapshot;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.store.GroupRecord;
import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalSnapshotId;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.GroupSnapshot;
import io.csi4j.spi.Snapshot;
import io.csi4j.spi.VolumeAlreadyExists;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group snapshots: one snapshot of each of several volumes, all frozen before the first is copied,
 * so together they are consistent. The group's record is written first and says {@code creating}
 * until every member is whole; a crash before that is undone at start.
 */
final class GroupSnapshots {

    private static final Logger LOG = LoggerFactory.getLogger(GroupSnapshots.class);

    private final SnapshotRequests requests;
    private final SnapshotCatalog snapshots;
    private final Freezer freezer;
    private final RecordStore<GroupRecord> store;
    private final Map<String, GroupRecord> groups = new ConcurrentHashMap<>();
    private final Map<String, String> groupByName = new ConcurrentHashMap<>();

    GroupSnapshots(SnapshotRequests requests, SnapshotCatalog snapshots, Freezer freezer, LocalLayout layout) {
        this.requests = requests;
        this.snapshots = snapshots;
        this.freezer = freezer;
        this.store = RecordStore.groups(layout.groupRecords());
    }

    /** Loads the groups; the members of one whose creation was interrupted lose their records. */
    void recover() throws IOException {
        for (GroupRecord group : store.loadAll()) {
            if (group.state().equals(VolumeRecord.READY)) {
                groups.put(group.id().uuid(), group);
                groupByName.put(group.name(), group.id().uuid());
            } else {
                LOG.info("finishing interrupted {} of group snapshot {}", group.state(), group.id());
                for (String member : group.snapshotIds()) {
                    LocalSnapshotId.parse(member, LocalSnapshotId.SNAPSHOT).ifPresent(snapshots::forget);
                }
                store.remove(group.id().uuid());
            }
        }
    }

    int size() {
        return groups.size();
    }

    GroupSnapshot create(String name, List<String> sourceVolumeIds, Map<String, String> parameters) {
        SnapshotRequests.check(name, parameters);
        try (KeyLocks.Held ignored = requests.locks().acquire("group-name:" + name, "group snapshot " + name)) {
            String existing = groupByName.get(name);
            if (existing != null) {
                GroupRecord group = groups.get(existing);
                if (!new HashSet<>(group.sourceVolumeIds()).equals(new HashSet<>(sourceVolumeIds))) {
                    throw new VolumeAlreadyExists("group snapshot " + name + " exists, of volumes " + group.sourceVolumeIds());
                }
                return view(group);
            }
            List<LocalVolumeId> sources = sourceVolumeIds.stream().map(requests::volumeId).toList();
            List<KeyLocks.Held> held = new ArrayList<>();
            try {
                // In one order, so two groups over the same volumes cannot each hold half.
                for (LocalVolumeId source : sources.stream().sorted((a, b) -> a.uuid().compareTo(b.uuid())).toList()) {
                    held.add(requests.lock(source));
                }
                return view(take(name, sources.stream().map(requests::volume).toList()));
            } finally {
                held.reversed().forEach(KeyLocks.Held::close);
            }
        }
    }

    private GroupRecord take(String name, List<VolumeRecord> volumes) {
        LocalSnapshotId groupId = LocalSnapshotId.random(LocalSnapshotId.GROUP, requests.node());
        List<LocalSnapshotId> memberIds = volumes.stream()
                .map(v -> LocalSnapshotId.random(LocalSnapshotId.SNAPSHOT, requests.node())).toList();
        GroupRecord group = new GroupRecord(groupId, name, VolumeRecord.CREATING,
                volumes.stream().map(v -> v.id().toString()).toList(),
                memberIds.stream().map(LocalSnapshotId::toString).toList(), Instant.now().truncatedTo(ChronoUnit.MILLIS));
        store.save(group); // first: a crash from here on is undone at start
        List<SnapshotRecord> taken = new ArrayList<>();
        try (Freezer.Frozen frozen = freezer.freeze(volumes)) {
            for (int i = 0; i < volumes.size(); i++) {
                taken.add(snapshots.take(volumes.get(i), name + "/" + i, memberIds.get(i), groupId.toString()));
            }
            frozen.checkHeld();
        } catch (RuntimeException e) {
            for (SnapshotRecord member : taken) {
                try {
                    snapshots.remove(member);
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            store.remove(groupId.uuid());
            throw e;
        }
        GroupRecord ready = group.withState(VolumeRecord.READY);
        store.save(ready);
        groups.put(groupId.uuid(), ready);
        groupByName.put(name, groupId.uuid());
        LOG.info("group snapshot {} ({}) of {} volumes taken", groupId, LocalProvisioner.printable(name), volumes.size());
        return ready;
    }

    void delete(String groupId, List<String> snapshotIds) {
        Optional<LocalSnapshotId> parsed = LocalSnapshotId.parse(groupId, LocalSnapshotId.GROUP);
        if (parsed.isEmpty()) {
            return;
        }
        parsed.get().requireOn(requests.node(), "group snapshot " + groupId);
        try (KeyLocks.Held ignored = requests.locks().acquire("group:" + parsed.get().uuid(), "group snapshot " + groupId)) {
            GroupRecord group = groups.get(parsed.get().uuid());
            if (group == null) {
                return;
            }
            checkMembers(group, snapshotIds);
            removeMembers(group);
            store.remove(group.id().uuid());
            groups.remove(group.id().uuid());
            groupByName.remove(group.name(), group.id().uuid());
            LOG.info("deleted group snapshot {} ({})", group.id(), LocalProvisioner.printable(group.name()));
        }
    }

    private void removeMembers(GroupRecord group) {
        List<KeyLocks.Held> members = new ArrayList<>();
        try {
            // A restore reading a member holds its lock: the member must not go under it.
            for (String member : group.snapshotIds().stream().sorted().toList()) {
                LocalSnapshotId.parse(member, LocalSnapshotId.SNAPSHOT).ifPresent(id ->
                        members.add(requests.locks().acquire("snapshot:" + id.uuid(), "snapshot " + member)));
            }
            store.save(group.withState(VolumeRecord.DELETING));
            for (String member : group.snapshotIds()) {
                snapshots.record(member).ifPresent(snapshots::remove);
            }
        } finally {
            members.reversed().forEach(KeyLocks.Held::close);
        }
    }

    Optional<GroupSnapshot> get(String groupId, List<String> snapshotIds) {
        Optional<GroupRecord> group = LocalSnapshotId.parse(groupId, LocalSnapshotId.GROUP)
                .filter(id -> id.node().equals(requests.node()))
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

    private GroupSnapshot view(GroupRecord group) {
        List<Snapshot> members = group.snapshotIds().stream().map(snapshots::record)
                .flatMap(Optional::stream).map(SnapshotCatalog::view).toList();
        return new GroupSnapshot(group.id().toString(), members, group.createdAt(),
                members.size() == group.snapshotIds().size());
    }
}
