package io.csi4j.backend.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where things live under the data directory: {@code records/} (one file per volume) and
 * {@code volumes/} (an image file or a directory per volume, named by the volume's UUID, never
 * by anything a caller sent).
 */
record LocalLayout(Path root) {

    static LocalLayout create(Path root) throws IOException {
        LocalLayout layout = new LocalLayout(root);
        Files.createDirectories(layout.records());
        Files.createDirectories(layout.volumes());
        return layout;
    }

    Path records() {
        return root.resolve("records");
    }

    Path volumes() {
        return root.resolve("volumes");
    }

    Path image(LocalVolumeId id) {
        return volumes().resolve(id.uuid() + ".img");
    }

    Path directory(LocalVolumeId id) {
        return volumes().resolve(id.uuid());
    }
}
