package io.csi4j.backend.local.store;

import io.csi4j.backend.local.volume.LocalSnapshotId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * A group snapshot: its name, the volumes it was taken of and the member snapshots, in the
 * order of the request.
 *
 * @param state {@code creating} until every member is complete, then {@code ready}
 */
public record GroupRecord(LocalSnapshotId id, String name, String state, List<String> sourceVolumeIds,
                   List<String> snapshotIds, Instant createdAt) {

    public GroupRecord {
        RecordHeader.require(id, name, state);
        Objects.requireNonNull(createdAt, "createdAt");
        sourceVolumeIds = List.copyOf(sourceVolumeIds);
        snapshotIds = List.copyOf(snapshotIds);
    }

    public GroupRecord withState(String newState) {
        return new GroupRecord(id, name, newState, sourceVolumeIds, snapshotIds, createdAt);
    }

    Properties toProperties() {
        Properties p = RecordHeader.write(id, name, state);
        p.setProperty("createdAt", createdAt.toString());
        for (int i = 0; i < sourceVolumeIds.size(); i++) {
            p.setProperty("source." + i, sourceVolumeIds.get(i));
            p.setProperty("snapshot." + i, snapshotIds.get(i));
        }
        return p;
    }

    static GroupRecord fromProperties(Properties p) {
        RecordHeader.check(p, "group record");
        List<String> sources = new ArrayList<>();
        List<String> snapshots = new ArrayList<>();
        for (int i = 0; p.getProperty("source." + i) != null; i++) {
            sources.add(p.getProperty("source." + i));
            snapshots.add(p.getProperty("snapshot." + i));
        }
        return new GroupRecord(
                LocalSnapshotId.parse(p.getProperty("id"), LocalSnapshotId.GROUP)
                        .orElseThrow(() -> new IllegalArgumentException("bad group id")),
                p.getProperty("name"), p.getProperty("state"), sources, snapshots,
                Instant.parse(p.getProperty("createdAt")));
    }
}
