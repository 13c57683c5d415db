package io.csi4j.backend.nfs.share;

import io.csi4j.backend.nfs.libnfs.NfsAttributes;
import io.csi4j.backend.nfs.libnfs.NfsEntry;
import io.csi4j.spi.FailedPrecondition;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Whole directory trees on a share: made, deleted and copied, to any depth (iteratively: a deep
 * tree cannot overflow the stack), never following a symlink.
 */
public final class Trees {

    private Trees() {}

    /**
     * Makes {@code path} and its missing parents with {@code mode}.
     *
     * @return whether {@code path} itself was made (false: it was there already)
     * @throws FailedPrecondition when a component exists and is not a directory (a symlink, say)
     */
    public static boolean mkdirs(ShareFiles files, String path, int mode) throws IOException {
        String[] segments = path.split("/");
        String at = "";
        boolean made = false;
        for (String segment : segments) {
            at = at.isEmpty() ? segment : at + "/" + segment;
            made = files.mkdir(at, mode);
            if (!made) {
                Optional<NfsAttributes> there = files.lstat(at);
                if (there.isPresent() && !there.get().directory()) {
                    throw new FailedPrecondition(at + " on " + files.describe() + " exists and is not a directory");
                }
            }
        }
        return made;
    }

    /** Deletes {@code path} and everything below it; true when something was there. */
    public static boolean delete(ShareFiles files, String path) throws IOException {
        Optional<NfsAttributes> top = files.lstat(path);
        if (top.isEmpty()) {
            return false;
        }
        if (!top.get().directory()) {
            return files.remove(path, false);
        }
        // Depth-first: a directory is removed once its listing comes back empty.
        Deque<String> pending = new ArrayDeque<>();
        pending.push(path);
        while (!pending.isEmpty()) {
            String dir = pending.peek();
            boolean hasSubdirs = false;
            for (NfsEntry entry : files.list(dir)) {
                String child = dir + "/" + entry.name();
                if (entry.kind() == NfsEntry.Kind.DIRECTORY) {
                    pending.push(child);
                    hasSubdirs = true;
                } else {
                    files.remove(child, false);
                }
            }
            if (!hasSubdirs) {
                files.remove(pending.pop(), true);
            }
        }
        return true;
    }

    /**
     * Copies the tree at {@code from} to {@code to} (which must not exist): directories with their
     * modes, regular files, symlinks. Devices, sockets and fifos are skipped.
     */
    public static void copy(ShareFiles files, String from, String to) throws IOException {
        Deque<String[]> pending = new ArrayDeque<>();
        pending.push(new String[] {from, to});
        while (!pending.isEmpty()) {
            String[] pair = pending.pop();
            int mode = files.lstat(pair[0]).orElseThrow(() -> new FailedPrecondition(pair[0] + " vanished during the copy"))
                    .permissions();
            if (!files.mkdir(pair[1], mode)) {
                throw new FailedPrecondition(pair[1] + " on " + files.describe() + " already exists");
            }
            for (NfsEntry entry : files.list(pair[0])) {
                String source = pair[0] + "/" + entry.name(), target = pair[1] + "/" + entry.name();
                switch (entry.kind()) {
                    case DIRECTORY -> pending.push(new String[] {source, target});
                    case FILE -> files.copyFile(source, target,
                            files.lstat(source).map(NfsAttributes::permissions).orElse(0644));
                    case SYMLINK -> files.symlink(files.readlink(source), target);
                    case OTHER -> { } // special files carry no data
                }
            }
        }
    }
}
