package io.csi4j.server.controller;

import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.GroupSnapshot;
import io.csi4j.spi.InvalidPageToken;
import io.csi4j.spi.Snapshot;
import io.csi4j.spi.SnapshotPage;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeSnapshots;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A fixture for the server's snapshot RPCs: snapshots and groups in maps, of volumes {@code exists}
 * knows. It keeps the {@link VolumeSnapshots} contract's order (names first, so a replay is
 * answered as before; then {@link VolumeNotFound} of a source) and, like the local backend,
 * answers a snapshot list that is not a group's with {@link FailedPrecondition}: the server's own
 * check must come first.
 */
final class InMemorySnapshots implements VolumeSnapshots {

    private final Predicate<String> exists;
    private final Map<String, Snapshot> byName = new HashMap<>();
    private final Map<String, Snapshot> byId = new HashMap<>();
    private final Map<String, GroupSnapshot> groupsByName = new HashMap<>();
    private final Map<String, GroupSnapshot> groupsById = new HashMap<>();
    private int nextId = 1;

    InMemorySnapshots(Predicate<String> exists) {
        this.exists = exists;
    }

    @Override
    public synchronized Snapshot create(String name, String sourceVolumeId, Map<String, String> parameters) {
        Snapshot existing = byName.get(name);
        if (existing != null) {
            if (!existing.sourceVolumeId().equals(sourceVolumeId)) {
                throw new VolumeAlreadyExists("snapshot " + name + " exists, of volume " + existing.sourceVolumeId());
            }
            return existing;
        }
        Snapshot made = take(sourceVolumeId, "");
        byName.put(name, made);
        return made;
    }

    private Snapshot take(String sourceVolumeId, String groupId) {
        if (!exists.test(sourceVolumeId)) {
            throw new VolumeNotFound("source volume " + sourceVolumeId + " does not exist");
        }
        Snapshot made = new Snapshot("snap-" + nextId++, sourceVolumeId, 1 << 20, Instant.EPOCH, true, groupId);
        byId.put(made.id(), made);
        return made;
    }

    @Override
    public synchronized void delete(String snapshotId) {
        byId.remove(snapshotId);
    }

    @Override
    public synchronized Optional<Snapshot> get(String snapshotId) {
        return Optional.ofNullable(byId.get(snapshotId));
    }

    @Override
    public synchronized SnapshotPage list(String snapshotId, String sourceVolumeId, int maxEntries, String token) {
        if (!token.isEmpty()) {
            throw new InvalidPageToken("listing token " + token + " was not issued here");
        }
        return new SnapshotPage(byId.values().stream()
                .filter(s -> snapshotId.isEmpty() || s.id().equals(snapshotId))
                .filter(s -> sourceVolumeId.isEmpty() || s.sourceVolumeId().equals(sourceVolumeId))
                .toList(), "");
    }

    @Override
    public synchronized GroupSnapshot createGroup(String name, List<String> sourceVolumeIds,
                                                  Map<String, String> parameters) {
        GroupSnapshot existing = groupsByName.get(name);
        if (existing != null) {
            List<String> sources = existing.snapshots().stream().map(Snapshot::sourceVolumeId).toList();
            if (!new HashSet<>(sources).equals(new HashSet<>(sourceVolumeIds))) {
                throw new VolumeAlreadyExists("group snapshot " + name + " exists, of volumes " + sources);
            }
            return existing;
        }
        String groupId = "group-" + nextId++;
        List<Snapshot> members = sourceVolumeIds.stream().map(source -> take(source, groupId)).toList();
        GroupSnapshot group = new GroupSnapshot(groupId, members, Instant.EPOCH, true);
        groupsByName.put(name, group);
        groupsById.put(groupId, group);
        return group;
    }

    @Override
    public synchronized void deleteGroup(String groupId, List<String> snapshotIds) {
        GroupSnapshot group = groupsById.get(groupId);
        if (group == null) {
            return;
        }
        checkMembers(group, snapshotIds);
        groupsById.remove(groupId);
        groupsByName.values().remove(group);
        group.snapshots().forEach(member -> byId.remove(member.id()));
    }

    @Override
    public synchronized Optional<GroupSnapshot> getGroup(String groupId, List<String> snapshotIds) {
        Optional<GroupSnapshot> group = Optional.ofNullable(groupsById.get(groupId));
        group.ifPresent(g -> checkMembers(g, snapshotIds));
        return group;
    }

    private static void checkMembers(GroupSnapshot group, List<String> snapshotIds) {
        List<String> members = group.snapshots().stream().map(Snapshot::id).toList();
        if (!snapshotIds.isEmpty() && !new HashSet<>(snapshotIds).equals(new HashSet<>(members))) {
            throw new FailedPrecondition("group snapshot " + group.id() + " has the snapshots " + members);
        }
    }
}
