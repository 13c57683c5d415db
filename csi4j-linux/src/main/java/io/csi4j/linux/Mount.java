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
 *
 * <p>The {@link PathHandle} forms act on the object a handle pinned, never on what its path names
 * by the time of the call: for targets that came from someone else (a CO's staging and target
 * paths), where a directory checked and then swapped for a symlink must not redirect the mount.
 */
public final class Mount {

    private static final int MNT_DETACH = 0x2, UMOUNT_NOFOLLOW = 0x8;

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

    /**
     * mount(2) onto the handle's object: the target given is {@code /proc/self/fd/N}, a magic link
     * the kernel resolves to exactly that (mount, dentry).
     */
    public static void mount(String source, PathHandle target, String fsType, Set<MountFlag> flags, String data)
            throws SyscallException {
        long bits = MountFlag.bits(flags);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = LibC.string(arena, source), dst = arena.allocateFrom(target.procPath().toString()),
                    type = LibC.string(arena, fsType), options = LibC.string(arena, data);
            LibC.call(arena, "mount", describe(source, target.path()),
                    state -> (int) LibC.MOUNT.invokeExact(state, src, dst, type, bits, options));
        }
    }

    /**
     * Bind-mounts the handle {@code source} (a mount, or a directory or file within one) onto the
     * handle {@code target}: open_tree clones it detached, mount_setattr gives the clone the
     * per-mount flags asked ({@code RDONLY}, {@code NOSUID}, {@code NODEV}, {@code NOEXEC}, atime)
     * while nothing can see it, and move_mount attaches it. So the view never exists weaker than
     * asked, not even for an instant, and a failure leaves nothing mounted. {@code REC} clones the
     * mounts below the source too (and sets their flags likewise). Flags are added to the
     * source's, never taken away.
     */
    public static void bind(PathHandle source, PathHandle target, Set<MountFlag> flags) throws SyscallException {
        try (Fd tree = MountApi.openTree(source.fd(), "", PathHandle.AT_EMPTY_PATH | recursive(flags),
                source.path())) {
            attach(tree, target, flags, source.path());
        }
    }

    /** As {@link #bind(PathHandle, PathHandle, Set)} from a path, resolved as mount(8) would (symlinks followed). */
    public static void bind(Path source, PathHandle target, Set<MountFlag> flags) throws SyscallException {
        try (Fd tree = MountApi.openTree(PathHandle.AT_FDCWD, source.toString(), recursive(flags), source)) {
            attach(tree, target, flags, source);
        }
    }

    private static int recursive(Set<MountFlag> flags) {
        return flags.contains(MountFlag.REC) ? MountApi.AT_RECURSIVE : 0;
    }

    private static void attach(Fd tree, PathHandle target, Set<MountFlag> flags, Path source) throws SyscallException {
        MountApi.setAttributes(tree, MountApi.Attributes.of(flags), flags.contains(MountFlag.REC));
        MountApi.moveMount(tree.value(), "", MountApi.MOVE_MOUNT_F_EMPTY_PATH, target, describe(source.toString(),
                target.path()));
    }

    /**
     * Moves the mount at {@code from} (its root; a symlink there is not followed) onto the handle.
     * As with MS_MOVE, the kernel refuses ({@code EINVAL}) to move a mount whose parent mount is
     * shared.
     */
    public static void move(Path from, PathHandle target) throws SyscallException {
        MountApi.moveMount(PathHandle.AT_FDCWD, from.toString(), 0, target, describe(from.toString(), target.path()));
    }

    /**
     * Detaches the mount whose root the handle sits at: umount2 of {@code /proc/self/fd/N} acts on
     * exactly that mount, wherever it is now ({@code EINVAL} when the handle is no mount root).
     * Always {@code MNT_DETACH}: the handle itself holds the mount, so a plain unmount would be
     * EBUSY; the kernel finishes once the handle and every other user let go. To unmount only an
     * idle mount, use {@link #unmountChild} with {@code detach} false.
     */
    public static void unmount(PathHandle mountRoot) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocateFrom(mountRoot.procPath().toString());
            LibC.call(arena, "umount2", mountRoot.path(), state -> (int) LibC.UMOUNT2.invokeExact(state, dst, MNT_DETACH));
        }
    }

    /**
     * Unmounts the topmost mount on the entry {@code name} of the directory {@code parent}, without
     * opening it: umount2 with {@code UMOUNT_NOFOLLOW} on {@code /proc/self/fd/N/name}, so a
     * symlink there is not followed (nothing is unmounted, false), and the mount itself is not
     * looked into (a dead NFS server does not block the call; umount's lookup does not revalidate).
     *
     * @return false when nothing was mounted there, or nothing was there
     */
    public static boolean unmountChild(PathHandle parent, String name, boolean detach) throws SyscallException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a single path component: '" + name + "'");
        }
        int flags = (detach ? MNT_DETACH : 0) | UMOUNT_NOFOLLOW;
        Path subject = parent.path().resolve(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocateFrom(parent.procPath().resolve(name).toString());
            LibC.call(arena, "umount2", subject, state -> (int) LibC.UMOUNT2.invokeExact(state, dst, flags));
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
