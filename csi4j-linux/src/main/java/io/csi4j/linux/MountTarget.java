package io.csi4j.linux;

import java.io.IOException;
import java.util.List;

/**
 * What a handle holds, judged as a place to mount on: free (an empty directory, or an empty
 * regular file for a block device), already a mount (the caller decides whether it is its own),
 * occupied (entries or data that a mount would hide), or not the kind asked for.
 */
public sealed interface MountTarget {

    /** How many names an {@link Occupied} directory reports. */
    int SHOWN = 5;

    /** Nothing there that a mount would hide. */
    record Free() implements MountTarget {}

    /** The handle is the root of this mount. */
    record Mounted(MountInfo mount) implements MountTarget {}

    /** A directory with entries (the first few names), or a file with data ({@code bytes} long). */
    record Occupied(List<String> firstEntries, long bytes) implements MountTarget {}

    /** Not a directory (or not a regular file) as asked. */
    record WrongKind(PathHandle.Kind kind) implements MountTarget {}

    /**
     * Inspects {@code target} for a mount of {@code wanted} ({@link PathHandle.Kind#DIRECTORY} for a
     * filesystem, {@link PathHandle.Kind#REGULAR_FILE} for a block device). A mount root is reported
     * as {@link Mounted} whatever it holds; only a plain directory is listed.
     */
    static MountTarget inspect(PathHandle target, PathHandle.Kind wanted) throws IOException {
        if (target.isMountRoot()) {
            long id = target.mountId();
            return new Mounted(MountTable.read().byId(id).orElseThrow(() -> new IOException(
                    "mount " + id + " at " + target + " is not in /proc/self/mountinfo")));
        }
        PathHandle.Kind kind = target.kind();
        if (kind != wanted) {
            return new WrongKind(kind);
        }
        if (kind == PathHandle.Kind.DIRECTORY) {
            List<String> names = target.entries(SHOWN);
            return names.isEmpty() ? new Free() : new Occupied(names, 0);
        }
        long size = target.stat().size();
        return size == 0 ? new Free() : new Occupied(List.of(), size);
    }

    /** A few words on an occupied target: {@code "holds a, b, c, ..."} or {@code "holds 4096 bytes"}. */
    static String describe(Occupied occupied) {
        if (occupied.firstEntries().isEmpty()) {
            return "holds " + occupied.bytes() + " bytes";
        }
        String names = String.join(", ", occupied.firstEntries());
        return "holds " + names + (occupied.firstEntries().size() >= SHOWN ? ", ..." : "");
    }
}
