package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The path system calls a tree copy makes: each acts on the path itself, never on what a symlink
 * there points to (lchown, utimensat with AT_SYMLINK_NOFOLLOW, symlink, readlink, link without
 * AT_SYMLINK_FOLLOW), so a copy cannot be steered outside its target by links in the source.
 */
final class PathCalls {

    private static final int PATH_MAX = 4096;

    private PathCalls() {}

    static void unlink(Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "unlink", path, state -> (int) LibC.UNLINK.invokeExact(state, name));
        }
    }

    static void mkdir(Path path, int mode) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "mkdir", path, state -> (int) LibC.MKDIR.invokeExact(state, name, mode));
        }
    }

    /** mknod(2) for fifos, sockets and device nodes; {@code mode} carries the type. */
    static void mknod(Path path, int mode, long dev) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "mknod", path, state -> (int) LibC.MKNOD.invokeExact(state, name, mode, dev));
        }
    }

    /** Makes {@code path} a symlink holding {@code target}, byte for byte. */
    static void symlink(byte[] target, Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment to = arena.allocate(target.length + 1L);
            MemorySegment.copy(target, 0, to, ValueLayout.JAVA_BYTE, 0, target.length);
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "symlink", path, state -> (int) LibC.SYMLINK.invokeExact(state, to, name));
        }
    }

    /** A symlink's content as raw bytes: it need not be valid UTF-8, nor name anything. */
    static byte[] readlink(Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            MemorySegment buf = arena.allocate(PATH_MAX);
            long n = LibC.callLong(arena, "readlink", path,
                    state -> (long) LibC.READLINK.invokeExact(state, name, buf, (long) PATH_MAX));
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** A hard link {@code path} to the inode at {@code existing}. */
    static void link(Path existing, Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment from = arena.allocateFrom(existing.toString());
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "link", path, state -> (int) LibC.LINK.invokeExact(state, from, name));
        }
    }

    static void lchown(Path path, int uid, int gid) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "lchown", path, state -> (int) LibC.LCHOWN.invokeExact(state, name, uid, gid));
        }
    }

    /** chmod(2) follows symlinks, and Linux has no modes on symlinks: never call it on one. */
    static void chmod(Path path, int mode) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "chmod", path, state -> (int) LibC.CHMOD.invokeExact(state, name, mode));
        }
    }

    /** Sets access and modification times of the path itself, to the nanosecond. */
    static void setTimes(Path path, Instant accessed, Instant modified) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            // struct timespec times[2] = { atime, mtime }, each { time_t tv_sec; long tv_nsec; }.
            MemorySegment times = arena.allocate(32, 8);
            times.set(ValueLayout.JAVA_LONG, 0, accessed.getEpochSecond());
            times.set(ValueLayout.JAVA_LONG, 8, accessed.getNano());
            times.set(ValueLayout.JAVA_LONG, 16, modified.getEpochSecond());
            times.set(ValueLayout.JAVA_LONG, 24, modified.getNano());
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "utimensat", path, state -> (int) LibC.UTIMENSAT.invokeExact(state,
                    FileStat.AT_FDCWD, name, times, FileStat.AT_SYMLINK_NOFOLLOW));
        }
    }
}
