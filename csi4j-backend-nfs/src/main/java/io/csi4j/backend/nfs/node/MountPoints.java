package io.csi4j.backend.nfs.node;

import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTarget;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CO's staging and target paths, taken only as kubelet would give them: an empty directory,
 * or a path not there yet (made here, its missing ancestors too, each below the handle of the one
 * above). Never through a symbolic link (INVALID_ARGUMENT), never onto a directory that holds
 * something, nor onto a mount the caller does not recognise as its own (FAILED_PRECONDITION).
 * Everything after the check goes through the handle, so a path swapped meanwhile redirects nothing.
 */
final class MountPoints {

    private static final Logger LOG = LoggerFactory.getLogger(MountPoints.class);

    private MountPoints() {}

    /** {@code path} as a directory handle, made if missing. */
    static PathHandle open(Path path, String what) {
        try {
            return PathHandle.openOrMakeDirectories(path, 0750);
        } catch (SyscallException e) {
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
     * Undoes a mount point: detaches the mount on {@code path} (without following a symlink there
     * or looking into the mount, so a dead server does not block) and, when {@code remove}, removes
     * the then empty directory through its parent's handle.
     */
    static void release(Path path, String what, boolean remove) {
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
            Mount.unmountChild(parent, name, true);
            Optional<PathHandle.Kind> kind = parent.childKind(name);
            if (kind.isEmpty()) {
                return;
            }
            if (kind.get() == PathHandle.Kind.SYMBOLIC_LINK) {
                throw new InvalidParameter(what + " " + path + " is a symbolic link; nothing was unmounted or removed");
            }
            if (remove && kind.get() == PathHandle.Kind.DIRECTORY) {
                try {
                    parent.removeDirectory(name);
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
