package io.csi4j.backend.nfs.share;

import io.csi4j.backend.nfs.libnfs.NfsAttributes;
import io.csi4j.backend.nfs.libnfs.NfsEntry;
import io.csi4j.backend.nfs.libnfs.NfsSpace;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The file operations on one share that provisioning needs. Paths are relative to the share's
 * root ("" is the root itself) and already checked ({@code volume.Names}); no operation follows a
 * symlink in its last component. Failures are {@link IOException}s that {@link Failures} turns
 * into backend outcomes.
 */
public interface ShareFiles {

    /** A human name for messages: {@code server:/share} or the path. */
    String describe();

    /** Whether the last attempt to reach the share got an answer (for monitoring; from memory). */
    default boolean reachable() {
        return true;
    }

    /** Attributes, not following a symlink; empty when nothing is there. */
    Optional<NfsAttributes> lstat(String path) throws IOException;

    /** Makes a directory with exactly {@code mode}; false when something already is there. */
    boolean mkdir(String path, int mode) throws IOException;

    void chmod(String path, int mode) throws IOException;

    /** Renames; fails when {@code to} exists and is not an empty directory. */
    void rename(String from, String to) throws IOException;

    /** Removes a file, symlink or empty directory; true when it was there. */
    boolean remove(String path, boolean directory) throws IOException;

    List<NfsEntry> list(String path) throws IOException;

    /** Makes a symlink holding {@code target}; false when something already is there (an atomic claim). */
    boolean symlink(String target, String path) throws IOException;

    String readlink(String path) throws IOException;

    /** Copies a regular file's content into a new file with {@code mode}. */
    void copyFile(String from, String to, int mode) throws IOException;

    /** Size and free space of the filesystem the share lives on. */
    NfsSpace space() throws IOException;
}
