package io.csi4j.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Btrfs subvolumes and snapshots through the filesystem's ioctls ({@code <linux/btrfs.h>}, magic
 * 0x94), made on a descriptor of the parent directory. Quotas are in {@link BtrfsQuota}.
 */
public final class Btrfs {

    static final long SUPER_MAGIC = 0x9123683EL;

    static final long IOC_SYNC = 0x9408L, // _IO(0x94, 8)
            IOC_SUBVOL_CREATE = 0x5000940EL, // _IOW(0x94, 14, struct btrfs_ioctl_vol_args)
            IOC_SNAP_DESTROY = 0x5000940FL, // _IOW(0x94, 15, struct btrfs_ioctl_vol_args)
            IOC_INO_LOOKUP = 0xD0009412L, // _IOWR(0x94, 18, struct btrfs_ioctl_ino_lookup_args)
            IOC_SNAP_CREATE_V2 = 0x50009417L; // _IOW(0x94, 23, struct btrfs_ioctl_vol_args_v2)

    // struct btrfs_ioctl_vol_args { __s64 fd; char name[4088]; }
    static final long VOL_ARGS_SIZE = 4096, VOL_ARGS_NAME = 8;
    // struct btrfs_ioctl_vol_args_v2 { __s64 fd; __u64 transid; __u64 flags; __u64 unused[4]; char name[4040]; }
    static final long VOL_ARGS_V2_FLAGS = 16, VOL_ARGS_V2_NAME = 56;
    static final long SUBVOL_RDONLY = 1L << 1;
    // struct btrfs_ioctl_ino_lookup_args { __u64 treeid; __u64 objectid; char name[4080]; }
    static final long INO_LOOKUP_SIZE = 4096, INO_LOOKUP_TREEID = 0, INO_LOOKUP_OBJECTID = 8;
    /** The inode number of every subvolume's root directory (BTRFS_FIRST_FREE_OBJECTID). */
    static final long FIRST_FREE_OBJECTID = 256;
    private static final int NAME_MAX = 255;

    private Btrfs() {}

    /** Creates an empty subvolume at {@code path}, whose parent must be on btrfs. */
    public static void createSubvolume(Path path) throws SyscallException {
        try (Fd parent = Fd.openDirectory(parentOf(path)); Arena arena = Arena.ofConfined()) {
            parent.ioctl("BTRFS_IOC_SUBVOL_CREATE", IOC_SUBVOL_CREATE, volArgs(arena, 0, path));
        }
    }

    /** Deletes the subvolume at {@code path} with everything in it; as root, even when not empty. */
    public static void deleteSubvolume(Path path) throws SyscallException {
        try (Fd parent = Fd.openDirectory(parentOf(path)); Arena arena = Arena.ofConfined()) {
            parent.ioctl("BTRFS_IOC_SNAP_DESTROY", IOC_SNAP_DESTROY, volArgs(arena, 0, path));
        }
    }

    /** Snapshots the subvolume {@code source} as a new subvolume {@code target}, on the same filesystem. */
    public static void snapshot(Path source, Path target, boolean readOnly) throws SyscallException {
        try (Fd src = Fd.openDirectory(source); Fd parent = Fd.openDirectory(parentOf(target));
             Arena arena = Arena.ofConfined()) {
            MemorySegment args = arena.allocate(VOL_ARGS_SIZE, 8);
            args.set(ValueLayout.JAVA_LONG, 0, src.value());
            args.set(ValueLayout.JAVA_LONG, VOL_ARGS_V2_FLAGS, readOnly ? SUBVOL_RDONLY : 0);
            putName(args, VOL_ARGS_V2_NAME, target);
            parent.ioctl("BTRFS_IOC_SNAP_CREATE_V2", IOC_SNAP_CREATE_V2, args);
        }
    }

    /** The ID of the subvolume that holds {@code path} (5 for the top level), which is also its qgroup's. */
    public static long subvolumeId(Path path) throws SyscallException {
        try (Fd fd = Fd.open(path, Fd.O_RDONLY); Arena arena = Arena.ofConfined()) {
            // Tree 0 means "the tree of this descriptor"; looking up its root directory returns the tree's ID.
            MemorySegment args = arena.allocate(INO_LOOKUP_SIZE, 8);
            args.set(ValueLayout.JAVA_LONG, INO_LOOKUP_TREEID, 0);
            args.set(ValueLayout.JAVA_LONG, INO_LOOKUP_OBJECTID, FIRST_FREE_OBJECTID);
            fd.ioctl("BTRFS_IOC_INO_LOOKUP", IOC_INO_LOOKUP, args);
            return args.get(ValueLayout.JAVA_LONG, INO_LOOKUP_TREEID);
        }
    }

    /** Whether {@code path} is the root of a subvolume: on btrfs, with inode 256. */
    public static boolean isSubvolume(Path path) throws IOException {
        return StatFs.of(path).type() == SUPER_MAGIC
                && ((Number) Files.getAttribute(path, "unix:ino")).longValue() == FIRST_FREE_OBJECTID;
    }

    /** Commits the current transaction, so that qgroup figures include what was just written. */
    public static void sync(Path path) throws SyscallException {
        try (Fd fd = Fd.open(path, Fd.O_RDONLY)) {
            fd.ioctl("BTRFS_IOC_SYNC", IOC_SYNC, 0L);
        }
    }

    private static MemorySegment volArgs(Arena arena, long fd, Path path) {
        MemorySegment args = arena.allocate(VOL_ARGS_SIZE, 8);
        args.set(ValueLayout.JAVA_LONG, 0, fd);
        putName(args, VOL_ARGS_NAME, path);
        return args;
    }

    /** Writes the last component of {@code path}, NUL-terminated (the rest is zero already). */
    static void putName(MemorySegment args, long offset, Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > NAME_MAX || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a subvolume name: " + path);
        }
        MemorySegment.copy(bytes, 0, args, ValueLayout.JAVA_BYTE, offset, bytes.length);
    }

    private static Path parentOf(Path path) {
        Path parent = path.toAbsolutePath().normalize().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("no parent directory: " + path);
        }
        return parent;
    }
}
