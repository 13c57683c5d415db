package io.csi4j.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live under the data directory: {@code records/} (one file per volume),
 * {@code node/} (what this node staged and published), {@code ephemeral/} (staging of inline
 * volumes) and {@code volumes/} (an image file or a directory per volume, named by the volume's UUID, never
 * by anything a caller sent).
 */
record LocalLayout(Path root) {

    static LocalLayout create(Path root) throws IOException {
        LocalLayout layout = new LocalLayout(root);
        Files.createDirectories(layout.records());
        Files.createDirectories(layout.volumes());
        Files.createDirectories(layout.nodeStates());
        Files.createDirectories(layout.ephemeralRoot());
        Files.createDirectories(layout.snapshotRecords());
        Files.createDirectories(layout.groupRecords());
        Files.createDirectories(layout.snapshots());
        return layout;
    }

    Path records() {
        return root.resolve("records");
    }

    Path volumes() {
        return root.resolve("volumes");
    }

    /** What this node staged and published, a file per volume. */
    Path nodeStates() {
        return root.resolve("node");
    }

    Path ephemeralRoot() {
        return root.resolve("ephemeral");
    }

    /** The private staging path of an ephemeral inline volume. */
    Path ephemeral(LocalVolumeId id) {
        return ephemeralRoot().resolve(id.uuid());
    }

    Path snapshotRecords() {
        return root.resolve("snapshot-records");
    }

    Path groupRecords() {
        return root.resolve("group-records");
    }

    /** Snapshot data: an image file or a directory per snapshot, named by its UUID. */
    Path snapshots() {
        return root.resolve("snapshots");
    }

    Path snapshotImage(LocalSnapshotId id) {
        return snapshots().resolve(id.uuid() + ".img");
    }

    Path snapshotDirectory(LocalSnapshotId id) {
        return snapshots().resolve(id.uuid());
    }

    Path image(LocalVolumeId id) {
        return volumes().resolve(id.uuid() + ".img");
    }

    Path directory(LocalVolumeId id) {
        return volumes().resolve(id.uuid());
    }
}
