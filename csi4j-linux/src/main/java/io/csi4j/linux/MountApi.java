package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;

/**
 * The new mount API (Linux 5.2/5.12): open_tree clones a mount into a detached tree held by a
 * descriptor, mount_setattr sets its per-mount flags while nothing can see it, move_mount attaches
 * it onto a descriptor. Closing the descriptor of a tree never attached unmounts it, so a failed
 * bind leaves nothing behind.
 */
final class MountApi {

    // <linux/mount.h>
    static final int OPEN_TREE_CLONE = 1, OPEN_TREE_CLOEXEC = Fd.O_CLOEXEC, AT_RECURSIVE = 0x8000;
    static final int MOVE_MOUNT_F_EMPTY_PATH = 0x04, MOVE_MOUNT_T_EMPTY_PATH = 0x40;
    static final long MOUNT_ATTR_RDONLY = 0x1, MOUNT_ATTR_NOSUID = 0x2, MOUNT_ATTR_NODEV = 0x4,
            MOUNT_ATTR_NOEXEC = 0x8, MOUNT_ATTR__ATIME = 0x70, MOUNT_ATTR_RELATIME = 0, MOUNT_ATTR_NOATIME = 0x10,
            MOUNT_ATTR_STRICTATIME = 0x20, MOUNT_ATTR_NODIRATIME = 0x80;
    /** {@code struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd; }} (MOUNT_ATTR_SIZE_VER0). */
    static final long MOUNT_ATTR_SIZE = 32;

    private MountApi() {}

    /**
     * What mount_setattr sets and clears for the per-mount {@link MountFlag}s asked: flags are only
     * ever added (the clone keeps the source's nosuid, say), except that an atime mode replaces the
     * one there, which the kernel wants said as clearing {@code MOUNT_ATTR__ATIME}.
     */
    record Attributes(long set, long clear) {

        static Attributes of(Set<MountFlag> flags) {
            long set = 0, clear = 0;
            for (MountFlag f : flags) {
                set |= switch (f) {
                    case RDONLY -> MOUNT_ATTR_RDONLY;
                    case NOSUID -> MOUNT_ATTR_NOSUID;
                    case NODEV -> MOUNT_ATTR_NODEV;
                    case NOEXEC -> MOUNT_ATTR_NOEXEC;
                    case NODIRATIME -> MOUNT_ATTR_NODIRATIME;
                    default -> 0L;
                };
            }
            int atimes = 0;
            for (MountFlag f : Set.of(MountFlag.NOATIME, MountFlag.RELATIME, MountFlag.STRICTATIME)) {
                if (flags.contains(f)) {
                    atimes++;
                    clear = MOUNT_ATTR__ATIME;
                    set |= f == MountFlag.NOATIME ? MOUNT_ATTR_NOATIME
                            : f == MountFlag.STRICTATIME ? MOUNT_ATTR_STRICTATIME : MOUNT_ATTR_RELATIME;
                }
            }
            if (atimes > 1) {
                throw new IllegalArgumentException("more than one atime mode: " + flags);
            }
            return new Attributes(set, clear);
        }

        boolean none() {
            return set == 0 && clear == 0;
        }
    }

    /** A detached clone of the mount (or subtree) at {@code dirfd}+{@code path}; the caller closes it. */
    static Fd openTree(int dirfd, String path, int flags, Object subject) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocateFrom(path);
            int fd = LibC.call(arena, "open_tree", subject, state -> (int) LibC.OPEN_TREE.invokeExact(state, dirfd, p,
                    flags | OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC));
            return new Fd(fd, java.nio.file.Path.of(String.valueOf(subject)));
        }
    }

    /** mount_setattr on the tree held by {@code tree} (all of it when {@code recursive}). */
    static void setAttributes(Fd tree, Attributes attributes, boolean recursive) throws SyscallException {
        if (attributes.none()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(MOUNT_ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_LONG, 0, attributes.set());
            attr.set(ValueLayout.JAVA_LONG, 8, attributes.clear());
            MemorySegment empty = arena.allocateFrom("");
            int flags = PathHandle.AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
            LibC.call(arena, "mount_setattr", tree.path(), state -> (int) LibC.MOUNT_SETATTR.invokeExact(state,
                    tree.value(), empty, flags, attr, MOUNT_ATTR_SIZE));
        }
    }

    /** move_mount from {@code fromFd}+{@code fromPath} onto the object of {@code to}. */
    static void moveMount(int fromFd, String fromPath, int fromFlags, PathHandle to, Object subject)
            throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment from = arena.allocateFrom(fromPath), empty = arena.allocateFrom("");
            int flags = fromFlags | MOVE_MOUNT_T_EMPTY_PATH;
            LibC.call(arena, "move_mount", subject, state -> (int) LibC.MOVE_MOUNT.invokeExact(state,
                    fromFd, from, to.fd(), empty, flags));
        }
    }
}
