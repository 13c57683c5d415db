package io.csi4j.backend.local.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Records of one kind, each named by a UUID: read in full only once, at start; every later change
 * touches one record, and a crash at any instant leaves a record's old content or its new, never a
 * torn one. Today one file per record ({@link FileRecordStore}); the rest of the backend sees only
 * this interface.
 */
public interface RecordStore<T> {

    /** Writes {@code record} durably, replacing the one with its UUID. */
    void save(T record);

    /** Removes the record with this UUID durably; not an error when there is none. */
    void remove(String uuid);

    /** Every readable record; unreadable ones are skipped (and logged), leftovers of interrupted writes removed. */
    List<T> loadAll() throws IOException;

    /** The UUIDs of all records, readable or not: what they name is not orphaned. */
    Set<String> uuids() throws IOException;

    /** The volume records, in {@code dir} ({@code records/}). */
    static RecordStore<VolumeRecord> volumes(Path dir) {
        return new FileRecordStore<>(dir, ".volume", r -> r.id().uuid(), VolumeRecord::toProperties,
                VolumeRecord::fromProperties);
    }

    /** The snapshot records, in {@code dir} ({@code snapshot-records/}). */
    static RecordStore<SnapshotRecord> snapshots(Path dir) {
        return new FileRecordStore<>(dir, ".snapshot", r -> r.id().uuid(), SnapshotRecord::toProperties,
                SnapshotRecord::fromProperties);
    }

    /** The group snapshot records, in {@code dir} ({@code group-records/}). */
    static RecordStore<GroupRecord> groups(Path dir) {
        return new FileRecordStore<>(dir, ".group", r -> r.id().uuid(), GroupRecord::toProperties,
                GroupRecord::fromProperties);
    }

    /**
     * Records of a kind another package defines, in {@code dir}, each file ending in {@code suffix}.
     *
     * @param uuid  the UUID that names a record
     * @param write a record as properties
     * @param read  properties as a record; throws when they are not one
     */
    static <T> RecordStore<T> of(Path dir, String suffix, Function<T, String> uuid, Function<T, Properties> write,
                                 Function<Properties, T> read) {
        return new FileRecordStore<>(dir, suffix, uuid, write, read);
    }
}
