package io.csi4j.backend.local.node;

import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTarget;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Staging and target paths from the CO, taken only as kubelet would give them: an empty
 * directory, a path not there yet under an existing directory (made here, below that directory's
 * handle; a missing directory above is FAILED_PRECONDITION), or for raw block an empty file (made
 * here). Never through a symbolic link
 * (INVALID_ARGUMENT), never over data or over a mount the records do not hold as this volume's
 * (FAILED_PRECONDITION). What is checked is a {@link PathHandle}, and the mount goes onto it: a
 * path swapped for a link after the check redirects nothing.
 */
final class MountPoints {

    private MountPoints() {}

    /** Refuses a path with a symbolic link in its existing part; the path otherwise, unchanged. */
    static Path withoutLinks(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing != null) {
            try (PathHandle ignored = PathHandle.open(existing)) {
                // reached without a link
            } catch (SyscallException e) {
                if (e.errno() != SyscallException.ENOENT) { // removed meanwhile: the later open decides
                    throw refusal(e, path);
                }
            }
        }
        return path;
    }

    /** {@code path} as a directory to mount on, made if missing, and free (an empty directory). */
    static PathHandle freeDirectory(Path path, Made made) {
        return free(open(path, PathHandle.Kind.DIRECTORY, made), PathHandle.Kind.DIRECTORY);
    }

    /**
     * {@code path} as a file to bind a device node onto, made if missing, and free (an empty
     * regular file). An empty directory there (made for us where a file belongs) is replaced.
     */
    static PathHandle freeFile(Path path, Made made) {
        return free(open(path, PathHandle.Kind.REGULAR_FILE, made), PathHandle.Kind.REGULAR_FILE);
    }

    /** The staging mount at {@code path}, as a handle at its root; empty when nothing is mounted there. */
    static Optional<PathHandle> mountRoot(Path path) {
        try {
            PathHandle handle = PathHandle.open(path);
            boolean root;
            try {
                root = handle.isMountRoot();
            } catch (SyscallException | RuntimeException e) {
                // An O_PATH descriptor left on a mount root would make every later unmount there EBUSY.
                handle.close();
                throw e;
            }
            if (root) {
                return Optional.of(handle);
            }
            handle.close();
            return Optional.empty();
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ENOENT) {
                return Optional.empty();
            }
            throw refusal(e, path);
        }
    }

    private static PathHandle open(Path path, PathHandle.Kind kind, Made made) {
        Path parentPath = path.getParent();
        if (parentPath == null) {
            throw new InvalidParameter("a mount point must not be /");
        }
        String name = path.getFileName().toString();
        // Only the last component is made: kubelet makes the directory that holds a target or a
        // staging path (the pod's volume directory, the plugin's staging directory) itself.
        PathHandle opened;
        try {
            opened = PathHandle.open(parentPath);
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ENOENT) {
                throw new FailedPrecondition("the directory " + parentPath + " that should hold " + path
                        + " does not exist (or a directory above it does not); only the last component is made");
            }
            throw refusal(e, path);
        }
        try (PathHandle parent = opened) {
            Optional<PathHandle.Kind> there = parent.childKind(name);
            if (there.isEmpty()) {
                made.created();
            }
            if (kind == PathHandle.Kind.DIRECTORY) {
                return parent.childOrMakeDirectory(name, 0750);
            }
            if (there.orElse(null) == PathHandle.Kind.DIRECTORY) {
                try {
                    parent.removeDirectory(name); // never one with entries, nor a mount point (EBUSY)
                } catch (SyscallException e) {
                    if (e.errno() != SyscallException.ENOTEMPTY && e.errno() != SyscallException.ENOENT
                            && e.errno() != SyscallException.EBUSY) {
                        throw e;
                    }
                }
            }
            return parent.childOrMakeFile(name, 0600);
        } catch (SyscallException e) {
            throw refusal(e, path);
        }
    }

    private static PathHandle free(PathHandle handle, PathHandle.Kind kind) {
        try {
            MountTarget target = MountTarget.inspect(handle, kind);
            switch (target) {
                case MountTarget.Free free -> {
                    return handle;
                }
                case MountTarget.Mounted mounted -> throw foreign(handle.path(), mounted.mount());
                case MountTarget.Occupied occupied -> throw new FailedPrecondition(handle.path() + " is not empty ("
                        + MountTarget.describe(occupied) + "); a volume is never mounted over data");
                case MountTarget.WrongKind wrong -> throw new FailedPrecondition(handle.path() + " is a "
                        + wrong.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", not a "
                        + kind.name().toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        } catch (IOException | RuntimeException e) {
            handle.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Mounts onto the checked handle {@code at} and records the new mount in {@code made}: the one
     * at its path that was not there {@code before} and that {@code ours} accepts. It must sit
     * directly on the handle's mount; one that landed on a mount made meanwhile by someone else is
     * taken down again (FAILED_PRECONDITION), and that other mount is left as it is.
     */
    static void mountOn(PathHandle at, Made made, Predicate<MountInfo> ours, MountCall call) throws IOException {
        // Looked for everywhere: a directory renamed after it was opened takes the mount along.
        Set<Integer> before = ids(Kernel.mounts());
        try {
            call.mount();
        } catch (SyscallException e) {
            throw mountFailure(e, at.path());
        }
        List<MountInfo> fresh = Kernel.mounts().stream().filter(m -> !before.contains(m.mountId()) && ours.test(m))
                .toList();
        Optional<MountInfo> mine = fresh.stream().filter(m -> m.mountPoint().equals(at.path()))
                .reduce((first, second) -> second) // the later line is the one on top
                .or(() -> fresh.stream().reduce((first, second) -> second));
        if (mine.isEmpty()) {
            throw new FailedPrecondition("the mount made at " + at.path() + " is not to be found; something "
                    + "changed the path meanwhile");
        }
        made.mounted(mine.get().mountId(), mine.get().mountPoint());
        if (!mine.get().mountPoint().equals(at.path())) {
            unmountOwn(at.path(), made);
            throw new FailedPrecondition(at.path() + " was moved or replaced while the volume was being mounted on "
                    + "it; the volume was taken off it again");
        }
        if (mine.get().parentId() != at.mountId()) {
            unmountOwn(at.path(), made);
            throw new FailedPrecondition("something else was mounted at " + at.path() + " meanwhile; the volume "
                    + "was taken off it again, and that mount is left alone");
        }
    }

    private static Set<Integer> ids(List<MountInfo> mounts) {
        Set<Integer> ids = new HashSet<>();
        mounts.forEach(m -> ids.add(m.mountId()));
        return ids;
    }

    /** A mount syscall onto a checked handle. */
    @FunctionalInterface
    interface MountCall {
        void mount() throws SyscallException;
    }

    /**
     * Unmounts the mount {@code made} recorded, and only it, where the kernel put it (normally
     * {@code asked}): when it is the topmost there; one that is gone is no error, one with
     * something stacked on it is refused.
     */
    static void unmountOwn(Path asked, Made made) {
        if (made.mountId().isEmpty()) {
            return;
        }
        Path path = made.mountPoint() == null ? asked : made.mountPoint();
        int id = made.mountId().getAsInt();
        Optional<PathHandle> opened = parentOf(path);
        if (opened.isEmpty()) {
            return;
        }
        try (PathHandle parent = opened.get()) {
            if (!ids(Kernel.stackAt(path)).contains(id)) {
                return; // gone already
            }
            Optional<MountInfo> top = Kernel.mountAt(path);
            if (top.isEmpty() || top.get().mountId() != id) {
                throw new FailedPrecondition("something else is mounted on top of the volume at " + path
                        + "; the volume is left mounted under it");
            }
            // Detached: a mount this call made a moment ago has no users but the call's own descriptors.
            Mount.unmountChild(parent, path.getFileName().toString(), true);
        } catch (SyscallException e) {
            throw new UncheckedIOException("cannot unmount " + path, e);
        }
    }

    static FailedPrecondition foreign(Path path, MountInfo mount) {
        return new FailedPrecondition("something else (" + mount.fsType() + " " + mount.source() + ") is mounted at "
                + path + "; not mounting over it");
    }

    /**
     * What a failed mount onto a checked handle means: ENOENT is the kernel refusing a directory
     * removed after the check (a racing CO), never a mount anywhere else.
     */
    static RuntimeException mountFailure(SyscallException e, Path target) {
        if (e.errno() == SyscallException.ENOENT) {
            return new FailedPrecondition(target + " was removed or replaced while the volume was being mounted "
                    + "on it; nothing was mounted", e);
        }
        return new UncheckedIOException("cannot mount on " + target, e);
    }

    /** The directory holding {@code path}, reached without a link; empty when it does not exist. */
    static Optional<PathHandle> parentOf(Path path) {
        Path parent = path.getParent();
        if (parent == null) {
            throw new InvalidParameter("a mount point must not be /");
        }
        try {
            return Optional.of(PathHandle.open(parent));
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ENOENT) {
                return Optional.empty();
            }
            throw refusal(e, path);
        }
    }

    /**
     * Unmounts the topmost mount at {@code path} through its parent's handle, without following a
     * symlink there (nothing is unmounted through one).
     *
     * @return false when nothing was mounted there
     */
    static boolean unmountChild(PathHandle parent, Path path) throws SyscallException {
        return Mount.unmountChild(parent, path.getFileName().toString(), false);
    }

    /** What a failed open of a CO path means: a link on the way is the caller's error. */
    static RuntimeException refusal(SyscallException e, Path path) {
        return switch (e.errno()) {
            case SyscallException.ELOOP -> new InvalidParameter(path
                    + " is, or passes through, a symbolic link; paths from the CO are taken only as they are", e);
            case SyscallException.ENOTDIR -> new FailedPrecondition(path + ": a component on the way is not a directory", e);
            default -> new UncheckedIOException(e);
        };
    }
}
