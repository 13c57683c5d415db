package io.csi4j.backend.nfs.volume;

import io.csi4j.backend.nfs.libnfs.NfsExport;
import java.nio.file.Path;
import java.util.Objects;

/** Where the volumes of a class live. */
public sealed interface Location {

    /**
     * An NFS export, reached by the controller through libnfs and mounted by nodes.
     *
     * @param export server, export path and (0 for the usual portmapper lookup) ports
     */
    record Nfs(NfsExport export) implements Location {
        public Nfs {
            Objects.requireNonNull(export, "export");
        }
    }

    /** A filesystem the administrator mounts at the same absolute path on every node (and the controller). */
    record Shared(Path root) implements Location {
        public Shared {
            Objects.requireNonNull(root, "root");
        }
    }
}
