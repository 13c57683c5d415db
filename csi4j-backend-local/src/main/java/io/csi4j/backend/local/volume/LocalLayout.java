package io.csi4j.backend.local.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live under the data directory: {@code records/} (one file per volume),
 * {@code node/} (what this node staged and published), {@code ephemeral/} (staging of inline
 * volumes) and {@code volumes/} (an image file or a directory per volume, named by the volume's UUID, never
 * by anything a caller sent).
 */
public record LocalLayout(Path root) {

    public static LocalLayout create(Path root) throws IOException {
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

    public Path records() {
        return root.resolve("records");
    }

    public Path volumes() {
        return root.resolve("volumes");
    }

    /** What this node staged and published, a file per volume. */
    public Path nodeStates() {
        return root.resolve("node");
    }

    Path ephemeralRoot() {
        return root.resolve("ephemeral");
    }

    /** The private staging path of an ephemeral inline volume. */
    public Path ephemeral(LocalVolumeId id) {
        return ephemeralRoot().resolve(id.uuid());
    }

    public Path snapshotRecords() {
        return root.resolve("snapshot-records");
    }

    public Path groupRecords() {
        return root.resolve("group-records");
    }

    /** Snapshot data: an image file or a directory per snapshot, named by its UUID. */
    public Path snapshots() {
        return root.resolve("snapshots");
    }

    public Path snapshotImage(LocalSnapshotId id) {
        return snapshots().resolve(id.uuid() + ".img");
    }

    public Path snapshotDirectory(LocalSnapshotId id) {
        return snapshots().resolve(id.uuid());
    }

    public Path image(LocalVolumeId id) {
        return volumes().resolve(id.uuid() + ".img");
    }

    public Path directory(LocalVolumeId id) {
        return volumes().resolve(id.uuid());
    }
}
