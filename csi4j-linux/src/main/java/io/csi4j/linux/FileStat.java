package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Instant;

/**
 * What statx(2) says about a path itself (a symlink is not followed), including the ID of the
 * mount it is on, so that a walk can tell where it would cross into another mount, bind mounts
 * and btrfs subvolumes included.
 *
 * @param mode       type and permission bits ({@code st_mode})
 * @param uid        owner
 * @param gid        group
 * @param links      number of hard links
 * @param inode      inode number
 * @param device     the device holding it, as a dev_t
 * @param rdev       for a device node, the device it stands for, as a dev_t
 * @param size       length in bytes
 * @param allocated  bytes backed by disk blocks ({@code st_blocks} times 512)
 * @param accessed   last access
 * @param modified   last modification
 * @param mountId    the mount it is on, as /proc/self/mountinfo numbers it
 */
public record FileStat(int mode, int uid, int gid, long links, long inode, long device, long rdev, long size,
                       long allocated, Instant accessed, Instant modified, long mountId) {

    // <linux/stat.h>: statx's mask bits and struct statx (256 bytes) offsets.
    static final int STATX_BASIC_STATS = 0x7ff, STATX_MNT_ID = 0x1000;
    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    static final long SIZE = 256, NLINK = 16, UID = 20, GID = 24, MODE = 28, INO = 32, STX_SIZE = 40,
            BLOCKS = 48, ATIME = 64, MTIME = 112, RDEV_MAJOR = 128, RDEV_MINOR = 132, DEV_MAJOR = 136,
            DEV_MINOR = 140, MNT_ID = 144;

    // <sys/stat.h>: the file type in st_mode.
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 060000, S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

    /** The path itself, not what a symlink points to (lstat semantics). */
    public static FileStat of(Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(SIZE, 8);
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "statx", path, state -> (int) LibC.STATX.invokeExact(state, AT_FDCWD, name,
                    AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_MNT_ID, buf));
            return decode(buf);
        }
    }

    static FileStat decode(MemorySegment b) {
        return new FileStat(
                Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, MODE)),
                b.get(ValueLayout.JAVA_INT, UID),
                b.get(ValueLayout.JAVA_INT, GID),
                Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT, NLINK)),
                b.get(ValueLayout.JAVA_LONG, INO),
                LibC.makedev(uint(b, DEV_MAJOR), uint(b, DEV_MINOR)),
                LibC.makedev(uint(b, RDEV_MAJOR), uint(b, RDEV_MINOR)),
                b.get(ValueLayout.JAVA_LONG, STX_SIZE),
                b.get(ValueLayout.JAVA_LONG, BLOCKS) * 512,
                timestamp(b, ATIME),
                timestamp(b, MTIME),
                b.get(ValueLayout.JAVA_LONG, MNT_ID));
    }

    /** struct statx_timestamp { __s64 tv_sec; __u32 tv_nsec; __s32 reserved; } */
    private static Instant timestamp(MemorySegment b, long offset) {
        return Instant.ofEpochSecond(b.get(ValueLayout.JAVA_LONG, offset), uint(b, offset + 8));
    }

    private static long uint(MemorySegment b, long offset) {
        return Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT, offset));
    }

    /** {@code mode & S_IFMT}: one of the {@code S_IF*} constants. */
    public int type() {
        return mode & S_IFMT;
    }

    /** The permission bits, setuid, setgid and sticky included. */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegularFile() {
        return type() == S_IFREG;
    }

    public boolean isSymbolicLink() {
        return type() == S_IFLNK;
    }
}
