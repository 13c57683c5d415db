package io.csi4j.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Snapshots of several volumes taken at one instant, as one consistent group. */
public record GroupSnapshot(String id, List<Snapshot> snapshots, Instant createdAt, boolean readyToUse) {

    public GroupSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(createdAt, "createdAt");
        snapshots = List.copyOf(snapshots);
    }
}
