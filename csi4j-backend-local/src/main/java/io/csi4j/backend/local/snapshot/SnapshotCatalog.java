package io.csi4j.backend.local.snapshot;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.provision.VolumeCopies;
import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalSnapshotId;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.Snapshot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of this node: their records (in memory by UUID and by name, and in the record
 * store) and their data, taken and removed here. A snapshot outlives its volume.
 */
final class SnapshotCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCatalog.class);

    private final String node;
    private final LocalLayout layout;
    private final VolumeCopies copies;
    private final RecordStore<SnapshotRecord> store;
    private final ConcurrentSkipListMap<String, SnapshotRecord> byUuid = new ConcurrentSkipListMap<>();
    private final Map<String, String> uuidByName = new ConcurrentHashMap<>();

    SnapshotCatalog(String node, LocalLayout layout, VolumeCopies copies) {
        this.node = node;
        this.layout = layout;
        this.copies = copies;
        this.store = RecordStore.snapshots(layout.snapshotRecords());
    }

    /** Loads the records; undoes what a crash interrupted, and removes data no record claims. */
    void recover() throws IOException {
        for (SnapshotRecord snapshot : store.loadAll()) {
            if (snapshot.state().equals(VolumeRecord.READY)) {
                index(snapshot);
            } else {
                LOG.info("finishing interrupted {} of snapshot {}", snapshot.state(), snapshot.id());
                copies.remove(snapshot);
                store.remove(snapshot.id().uuid());
            }
        }
        removeOrphans(store.uuids());
    }

    /** Forgets the record of a member of a group whose creation a crash interrupted (its data is an orphan). */
    void forget(LocalSnapshotId member) {
        store.remove(member.uuid());
    }

    int size() {
        return byUuid.size();
    }

    /** Snapshots by the kind of volume they copy, counted in memory. */
    Map<String, Long> byKind() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (io.csi4j.backend.local.volume.VolumeType type : io.csi4j.backend.local.volume.VolumeType.values()) {
            counts.put(type.parameterValue(), 0L);
        }
        for (SnapshotRecord record : byUuid.values()) {
            counts.merge(record.type().parameterValue(), 1L, Long::sum);
        }
        return counts;
    }

    /** The single (not grouped) snapshot of this name, if any. */
    Optional<SnapshotRecord> named(String name) {
        return Optional.ofNullable(uuidByName.get(name)).map(byUuid::get);
    }

    /** The snapshot with this ID on this node, if any. */
    Optional<SnapshotRecord> record(String snapshotId) {
        return LocalSnapshotId.parse(snapshotId, LocalSnapshotId.SNAPSHOT)
                .filter(id -> id.node().equals(node))
                .map(id -> byUuid.get(id.uuid()));
    }

    Optional<SnapshotRecord> get(LocalSnapshotId id) {
        return Optional.ofNullable(byUuid.get(id.uuid()));
    }

    NavigableMap<String, SnapshotRecord> byUuid() {
        return byUuid;
    }

    /** Copies the volume into a new snapshot: its record says {@code creating} until the copy is whole. */
    SnapshotRecord take(VolumeRecord volume, String name, LocalSnapshotId id, String groupId) {
        if (volume.formatting()) {
            // A copy would carry a torn mkfs without the mark that lets a stage make it again.
            throw new FailedPrecondition("volume " + volume.id() + ": its first format did not finish; stage it once first");
        }
        SnapshotRecord record = new SnapshotRecord(id, name, VolumeRecord.CREATING, volume.id().toString(), volume.type(),
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
        SnapshotRecord ready = record.withState(VolumeRecord.READY);
        store.save(ready);
        index(ready);
        return ready;
    }

    void remove(SnapshotRecord record) {
        store.save(record.withState(VolumeRecord.DELETING));
        copies.remove(record);
        store.remove(record.id().uuid());
        byUuid.remove(record.id().uuid());
        uuidByName.remove(record.name(), record.id().uuid());
        LOG.info("deleted snapshot {} ({})", record.id(), LocalProvisioner.printable(record.name()));
    }

    static Snapshot view(SnapshotRecord record) {
        return new Snapshot(record.id().toString(), record.sourceVolumeId(), record.sizeBytes(), record.createdAt(),
                true, record.groupId());
    }

    private void index(SnapshotRecord record) {
        byUuid.put(record.id().uuid(), record);
        if (record.groupId().isEmpty()) {
            uuidByName.put(record.name(), record.id().uuid());
        }
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
                        node), "", VolumeRecord.DELETING, "", Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
                        ? VolumeType.DIRECTORY : VolumeType.IMAGE, false, "", 0, Instant.EPOCH, "");
                copies.remove(stub);
            }
        }
    }
}
