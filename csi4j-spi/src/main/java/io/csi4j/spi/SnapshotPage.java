package io.csi4j.spi;

import java.util.List;

/** A page of snapshots, and the token for the next page ("" when this is the last). */
public record SnapshotPage(List<Snapshot> snapshots, String nextToken) {

    public SnapshotPage {
        snapshots = List.copyOf(snapshots);
    }
}
