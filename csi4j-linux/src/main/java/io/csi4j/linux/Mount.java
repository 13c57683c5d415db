package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * mount(2) and umount2(2): mounting filesystems, bind mounts, propagation changes and unmounting.
 * Errors carry errno: a target that is not a mount point fails with {@code EINVAL}, a missing
 * one with {@code ENOENT}.
 */
public final class Mount {

    private static final int MNT_DETACH = 0x2;

    private Mount() {}

    /**
     * Calls mount(2) as is.
     *
     * @param source what to mount (a device, a directory, a server path), or null
     * @param fsType the filesystem type, or null (bind mounts, remounts, propagation changes)
     * @param data   the filesystem-specific options ({@code "prjquota,discard"}), or null
     */
    public static void mount(String source, Path target, String fsType, Set<MountFlag> flags, String data)
            throws SyscallException {
        long bits = MountFlag.bits(flags);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = LibC.string(arena, source), dst = arena.allocateFrom(target.toString()),
                    type = LibC.string(arena, fsType), options = LibC.string(arena, data);
            LibC.call(arena, "mount", describe(source, target),
                    state -> (int) LibC.MOUNT.invokeExact(state, src, dst, type, bits, options));
        }
    }

    /** Bind-mounts {@code source} at {@code target}, read-only or read-write. */
    public static void bind(Path source, Path target, boolean readOnly) throws SyscallException {
        bind(source, target, readOnly ? EnumSet.of(MountFlag.RDONLY) : EnumSet.noneOf(MountFlag.class));
    }

    /**
     * Bind-mounts {@code source} at {@code target}. The kernel ignores per-mount flags
     * ({@code RDONLY}, {@code NOSUID}, {@code NODEV}, {@code NOEXEC}, atime) on the bind itself, so
     * they are applied by a second, {@code MS_REMOUNT|MS_BIND} call; if that fails, the bind is
     * undone rather than left weaker than asked (a writable view of a read-only volume).
     * {@code REC} binds the mounts below {@code source} too.
     */
    public static void bind(Path source, Path target, Set<MountFlag> flags) throws SyscallException {
        EnumSet<MountFlag> first = EnumSet.of(MountFlag.BIND);
        if (flags.contains(MountFlag.REC)) {
            first.add(MountFlag.REC);
        }
        mount(source.toString(), target, null, first, null);
        EnumSet<MountFlag> perMount = EnumSet.noneOf(MountFlag.class);
        for (MountFlag f : flags) {
            if (MountFlag.PER_MOUNT.contains(f)) {
                perMount.add(f);
            }
        }
        if (perMount.isEmpty()) {
            return;
        }
        perMount.add(MountFlag.REMOUNT);
        perMount.add(MountFlag.BIND);
        try {
            mount(null, target, null, perMount, null);
        } catch (SyscallException e) {
            try {
                unmount(target, true);
            } catch (SyscallException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** Changes the propagation of the mount at {@code target}: one of PRIVATE, SHARED, SLAVE, UNBINDABLE. */
    public static void setPropagation(Path target, MountFlag propagation, boolean recursive) throws SyscallException {
        if (!Set.of(MountFlag.PRIVATE, MountFlag.SHARED, MountFlag.SLAVE, MountFlag.UNBINDABLE).contains(propagation)) {
            throw new IllegalArgumentException(propagation + " is not a propagation type");
        }
        mount(null, target, null, recursive ? EnumSet.of(propagation, MountFlag.REC) : EnumSet.of(propagation), null);
    }

    /**
     * Unmounts {@code target}; {@code detach} ({@code MNT_DETACH}) takes it out of the tree at once
     * even when busy, the kernel finishing when the last user lets go.
     */
    public static void unmount(Path target, boolean detach) throws SyscallException {
        int flags = detach ? MNT_DETACH : 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocateFrom(target.toString());
            LibC.call(arena, "umount2", target, state -> (int) LibC.UMOUNT2.invokeExact(state, dst, flags));
        }
    }

    /**
     * Unmounts {@code target} if something is mounted there: the idempotent form teardown needs.
     *
     * @return false when {@code target} was no mount point ({@code EINVAL}) or did not exist ({@code ENOENT})
     */
    public static boolean unmountIfMounted(Path target, boolean detach) throws SyscallException {
        try {
            unmount(target, detach);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.EINVAL || e.errno() == SyscallException.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    private static String describe(String source, Path target) {
        return source == null ? target.toString() : source + " on " + target;
    }
}
