package io.csi4j.backend.nfs.node;

import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.MountTarget;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CO's staging and target paths, taken only as kubelet would give them: an empty directory,
 * or a path not there yet below an existing parent (only the last component is made, below the
 * parent's handle). Never through a symbolic link (INVALID_ARGUMENT), never onto a directory that holds
 * something, nor onto a mount the caller does not recognise as its own (FAILED_PRECONDITION).
 * Everything after the check goes through the handle, so a path swapped meanwhile redirects nothing.
 */
final class MountPoints {

    private static final Logger LOG = LoggerFactory.getLogger(MountPoints.class);

    private MountPoints() {}

    /**
     * {@code path} as a directory handle, made if missing; only the last component is ever made:
     * a missing parent is the CO's error (kubelet makes it), FAILED_PRECONDITION naming it.
     */
    static PathHandle open(Path path, String what) {
        try {
            return PathHandle.openOrMakeDirectory(path, 0750);
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ENOENT && path.getParent() != null) {
                throw new FailedPrecondition("the parent directory " + path.getParent() + " of " + what + " " + path
                        + " does not exist; only the last component of a path is made", e);
            }
            throw refusal(e, path, what);
        }
    }

    /** The existing {@code path}; empty when it (or its parent) does not exist. */
    static Optional<PathHandle> existing(Path path, String what) {
        try {
            return Optional.of(PathHandle.open(path));
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ENOENT) {
                return Optional.empty();
            }
            throw refusal(e, path, what);
        }
    }

    /**
     * Refuses a handle that is neither free nor a mount; returns the mount there, if any, for the
     * caller to tell whether it is its own.
     */
    static Optional<MountInfo> check(PathHandle handle, String what) {
        MountTarget target;
        try {
            target = MountTarget.inspect(handle, PathHandle.Kind.DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return switch (target) {
            case MountTarget.Free free -> Optional.empty();
            case MountTarget.Mounted mounted -> Optional.of(mounted.mount());
            case MountTarget.Occupied occupied -> throw new FailedPrecondition(what + " " + handle.path()
                    + " is not empty (" + MountTarget.describe(occupied) + "); a volume is never mounted over data");
            case MountTarget.WrongKind wrong -> throw new FailedPrecondition(what + " " + handle.path()
                    + " is not a directory but a " + wrong.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
        };
    }

    /** A foreign mount at {@code handle}: refused, with what it is. */
    static FailedPrecondition foreign(PathHandle handle, MountInfo mount, String what) {
        return new FailedPrecondition("something else (" + mount.fsType() + " " + mount.source() + ") is mounted at "
                + what + " " + handle.path() + "; not mounting over it");
    }

    /**
     * Undoes a mount point, but only a mount that {@code ours} recognises as the volume's own: the
     * topmost mount on {@code path} is found in the mount table below the parent's handle (the
     * mount itself is never looked into, so a dead server does not block) and detached; something
     * else mounted there is refused (FAILED_PRECONDITION, nothing touched). When {@code remove},
     * the then empty directory is removed through its parent's handle (a non-empty one stays).
     */
    static void release(Path path, String what, boolean remove, Predicate<MountInfo> ours) {
        Path parentPath = path.getParent();
        if (parentPath == null) {
            throw new InvalidParameter(what + " must not be /");
        }
        Optional<PathHandle> opened = existing(parentPath, what);
        if (opened.isEmpty()) {
            return; // nothing there: done before
        }
        String name = path.getFileName().toString();
        try (PathHandle parent = opened.get()) {
            for (Optional<MountInfo> top = topmost(parent, name); top.isPresent(); top = topmost(parent, name)) {
                if (!ours.test(top.get())) {
                    throw new FailedPrecondition("something else (" + top.get().fsType() + " " + top.get().source()
                            + ", root " + top.get().root() + ") is mounted at " + what + " " + path
                            + ", not this volume; nothing was unmounted or removed");
                }
                if (!Mount.unmountChild(parent, name, true)) {
                    break; // gone meanwhile
                }
            }
            Optional<PathHandle.Kind> kind = parent.childKind(name);
            if (kind.isEmpty()) {
                return;
            }
            if (kind.get() == PathHandle.Kind.SYMBOLIC_LINK) {
                throw new InvalidParameter(what + " " + path + " is a symbolic link; nothing was unmounted or removed");
            }
            if (remove && kind.get() == PathHandle.Kind.DIRECTORY) {
                try {
                    parent.removeDirectory(name); // rmdir: only ever an empty directory
                } catch (SyscallException e) {
                    switch (e.errno()) {
                        case SyscallException.ENOENT -> { } // removed meanwhile
                        case SyscallException.ENOTDIR -> throw new InvalidParameter(what + " " + path
                                + " became a symbolic link while it was being removed; left alone", e);
                        case SyscallException.ENOTEMPTY, SyscallException.EBUSY -> LOG.warn(
                                "{} {} is not empty (or still a mount point) after unmounting; left in place", what, path);
                        default -> throw e;
                    }
                }
            }
        } catch (SyscallException e) {
            throw refusal(e, path, what);
        }
    }

    /**
     * The topmost mount on the entry {@code name} of {@code parent}, from the mount table alone:
     * the one mounted on the parent's own mount at that path, and whatever is stacked on it.
     */
    static Optional<MountInfo> topmost(PathHandle parent, String name) throws SyscallException {
        Path at = parent.path().resolve(name);
        long parentMount = parent.mountId();
        List<MountInfo> mounts;
        try {
            mounts = MountTable.read().mounts();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<MountInfo> top = Optional.empty();
        for (long below = parentMount; ; ) {
            long under = below;
            Optional<MountInfo> next = mounts.stream()
                    .filter(m -> m.parentId() == under && m.mountId() != under && m.mountPoint().equals(at)).findFirst();
            if (next.isEmpty()) {
                return top;
            }
            top = next;
            below = next.get().mountId();
        }
    }

    /**
     * The root of the mount just made on {@code under} (a handle opened before the mount, which
     * therefore still sits below it), reopened by path and required to sit directly on the
     * handle's mount at the handle's path: a directory moved or swapped during the mount is
     * refused rather than the mount used from wherever it went.
     */
    static PathHandle mountedOn(PathHandle under, String what) {
        PathHandle again = existing(under.path(), what).orElseThrow(() -> new FailedPrecondition(what + " "
                + under.path() + " disappeared while the volume was being mounted on it"));
        try {
            Optional<MountInfo> mount = again.isMountRoot() ? again.mount() : Optional.empty();
            if (mount.isEmpty() || mount.get().parentId() != under.mountId() || !mount.get().mountPoint().equals(under.path())) {
                throw new FailedPrecondition(what + " " + under.path() + " was moved or replaced while the volume was "
                        + "being mounted on it; the new mount is not where it was checked");
            }
            return again;
        } catch (IOException | RuntimeException e) {
            again.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    /**
     * What a failed mount onto a checked handle means: ENOENT is the kernel refusing a directory
     * that was removed after the check (a racing CO), never a mount anywhere else.
     */
    static RuntimeException mountFailure(SyscallException e, PathHandle target, String what) {
        if (e.errno() == SyscallException.ENOENT) {
            return new FailedPrecondition(what + " " + target.path()
                    + " was removed or replaced while the volume was being mounted on it; nothing was mounted", e);
        }
        return new UncheckedIOException(e);
    }

    /** What a failed open of a CO path means: a link on the way is the caller's error. */
    static RuntimeException refusal(SyscallException e, Path path, String what) {
        return switch (e.errno()) {
            case SyscallException.ELOOP -> new InvalidParameter(what + " " + path
                    + " is, or passes through, a symbolic link; paths from the CO are taken only as they are", e);
            case SyscallException.ENOTDIR -> new FailedPrecondition(what + " " + path
                    + ": a component on the way is not a directory", e);
            default -> new UncheckedIOException(e);
        };
    }
}
