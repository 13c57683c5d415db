package io.csi4j.backend.local.snapshot;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.provision.Restores;
import io.csi4j.backend.local.store.Pages;
import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalSnapshotId;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.GroupSnapshot;
import io.csi4j.spi.Snapshot;
import io.csi4j.spi.SnapshotPage;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeSnapshots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots of local volumes and consistent groups of them. A snapshot is a copy of the volume's
 * data under {@code snapshots/} (a reflink where the filesystem allows) with its own record
 * ({@link SnapshotCatalog}); the source's filesystem is frozen around the copy ({@link Freezer});
 * groups are {@link GroupSnapshots}. Restores and clones reach this side through {@link Restores}.
 */
public final class LocalSnapshots implements VolumeSnapshots, Restores {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSnapshots.class);

    private final SnapshotRequests requests;
    private final SnapshotCatalog snapshots;
    private final Freezer freezer;
    private final GroupSnapshots groups;

    /** @param mountedFilesystem where a volume's filesystem is mounted on this node, by volume UUID */
    public LocalSnapshots(LocalProvisioner provisioner, LocalLayout layout, Function<String, Optional<Path>> mountedFilesystem) {
        this.requests = new SnapshotRequests(provisioner);
        this.snapshots = new SnapshotCatalog(provisioner.node(), layout, provisioner.copies());
        this.freezer = new Freezer(mountedFilesystem);
        this.groups = new GroupSnapshots(requests, snapshots, freezer, layout);
    }

    /** Loads the records; finishes or undoes what a crash interrupted, and removes unclaimed data. */
    public void recover() throws IOException {
        groups.recover(); // first: an interrupted group takes its members' records with it
        snapshots.recover();
        LOG.info("{} snapshots, {} group snapshots", snapshots.size(), groups.size());
    }

    /** Snapshots by kind ({@code image}, {@code directory}), for monitoring; from memory. */
    public Map<String, Long> countsByKind() {
        return snapshots.byKind();
    }

    @Override
    public Snapshot create(String name, String sourceVolumeId, Map<String, String> parameters) {
        SnapshotRequests.check(name, parameters);
        try (KeyLocks.Held ignored = requests.locks().acquire("snapshot-name:" + name, "snapshot " + name)) {
            Optional<SnapshotRecord> existing = snapshots.named(name);
            if (existing.isPresent()) {
                if (!existing.get().sourceVolumeId().equals(sourceVolumeId)) {
                    throw new VolumeAlreadyExists("snapshot " + name + " exists, of volume " + existing.get().sourceVolumeId());
                }
                return SnapshotCatalog.view(existing.get());
            }
            LocalVolumeId source = requests.volumeId(sourceVolumeId);
            try (KeyLocks.Held alsoSource = requests.lock(source)) {
                SnapshotRecord made = take(requests.volume(source), name);
                LOG.info("snapshot {} ({}) of volume {} taken", made.id(), LocalProvisioner.printable(name), source);
                return SnapshotCatalog.view(made);
            }
        }
    }

    /** Takes the snapshot with the volume frozen; a copy the freeze did not cover whole is removed. */
    private SnapshotRecord take(VolumeRecord volume, String name) {
        try (Freezer.Frozen frozen = freezer.freeze(List.of(volume))) {
            SnapshotRecord made = snapshots.take(volume, name,
                    LocalSnapshotId.random(LocalSnapshotId.SNAPSHOT, requests.node()), "");
            try {
                frozen.checkHeld();
            } catch (RuntimeException e) {
                snapshots.remove(made);
                throw e;
            }
            return made;
        }
    }

    @Override
    public void delete(String snapshotId) {
        Optional<LocalSnapshotId> parsed = LocalSnapshotId.parse(snapshotId, LocalSnapshotId.SNAPSHOT);
        if (parsed.isEmpty()) {
            return; // not an ID we could have issued
        }
        LocalSnapshotId id = parsed.get();
        id.requireOn(requests.node(), "snapshot " + snapshotId);
        try (KeyLocks.Held ignored = requests.locks().acquire("snapshot:" + id.uuid(), "snapshot " + snapshotId)) {
            Optional<SnapshotRecord> record = snapshots.get(id);
            if (record.isEmpty()) {
                return;
            }
            if (!record.get().groupId().isEmpty()) {
                throw new FailedPrecondition("snapshot " + snapshotId + " belongs to group snapshot "
                        + record.get().groupId() + "; delete the group");
            }
            snapshots.remove(record.get());
        }
    }

    @Override
    public Optional<Snapshot> get(String snapshotId) {
        return record(snapshotId).map(SnapshotCatalog::view);
    }

    /** The snapshot with this ID on this node, if any: what a restore reads. */
    @Override
    public Optional<SnapshotRecord> record(String snapshotId) {
        return snapshots.record(snapshotId);
    }

    /** Takes the snapshot's lock for the length of a restore, so it is not deleted under it. */
    @Override
    public KeyLocks.Held lock(SnapshotRecord snapshot) {
        return requests.locks().acquire("snapshot:" + snapshot.id().uuid(), "snapshot " + snapshot.id());
    }

    @Override
    public <T> T frozenWhile(VolumeRecord volume, Supplier<T> work) {
        return freezer.frozenWhile(volume, work);
    }

    @Override
    public SnapshotPage list(String snapshotId, String sourceVolumeId, int maxEntries, String token) {
        if (!snapshotId.isEmpty()) {
            List<Snapshot> one = get(snapshotId)
                    .filter(s -> sourceVolumeId.isEmpty() || s.sourceVolumeId().equals(sourceVolumeId))
                    .map(List::of).orElse(List.of());
            return new SnapshotPage(one, "");
        }
        Pages<Snapshot> page = Pages.page(snapshots.byUuid(), token, maxEntries,
                record -> sourceVolumeId.isEmpty() || record.sourceVolumeId().equals(sourceVolumeId), SnapshotCatalog::view);
        return new SnapshotPage(page.items(), page.nextToken());
    }

    @Override
    public GroupSnapshot createGroup(String name, List<String> sourceVolumeIds, Map<String, String> parameters) {
        return groups.create(name, sourceVolumeIds, parameters);
    }

    @Override
    public void deleteGroup(String groupId, List<String> snapshotIds) {
        groups.delete(groupId, snapshotIds);
    }

    @Override
    public Optional<GroupSnapshot> getGroup(String groupId, List<String> snapshotIds) {
        return groups.get(groupId, snapshotIds);
    }
}
