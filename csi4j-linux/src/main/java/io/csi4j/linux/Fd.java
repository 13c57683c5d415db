package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * An open file descriptor, always opened with {@code O_CLOEXEC} so that no child process
 * inherits it, and the ioctls made on it.
 *
 * @param value the descriptor
 * @param path  what it was opened on, for error messages
 */
record Fd(int value, Path path) implements AutoCloseable {

    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    // <unistd.h>: lseek's whence for the next data and the next hole at or after an offset.
    static final int SEEK_DATA = 3, SEEK_HOLE = 4;

    static Fd open(Path path, int flags) throws SyscallException {
        return open(path, flags, 0);
    }

    /** Opens with a mode, which only {@code O_CREAT} uses (and the umask trims). */
    static Fd open(Path path, int flags, int mode) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            int fd = LibC.call(arena, "open", path,
                    state -> (int) LibC.OPEN.invokeExact(state, name, flags | O_CLOEXEC, mode));
            return new Fd(fd, path);
        }
    }

    /**
     * Creates a new regular file for writing, failing with EEXIST if anything is there (a symlink
     * included: O_EXCL does not follow it), with exactly {@code mode}: fchmod undoes the umask.
     */
    static Fd createExclusive(Path path, int mode) throws SyscallException {
        Fd fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode & 07777);
        try (Arena arena = Arena.ofConfined()) {
            LibC.call(arena, "fchmod", path, state -> (int) LibC.FCHMOD.invokeExact(state, fd.value, mode & 07777));
            return fd;
        } catch (SyscallException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** lseek(2); with SEEK_DATA, ENXIO means no data at or after {@code offset}. */
    long seek(long offset, int whence) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            return LibC.callLong(arena, "lseek", path,
                    state -> (long) LibC.LSEEK.invokeExact(state, value, offset, whence));
        }
    }

    /** Sets the file's length; growing it leaves a hole. */
    void truncate(long length) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            LibC.call(arena, "ftruncate", path, state -> (int) LibC.FTRUNCATE.invokeExact(state, value, length));
        }
    }

    void fsync() throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            LibC.call(arena, "fsync", path, state -> (int) LibC.FSYNC.invokeExact(state, value));
        }
    }

    static Fd openDirectory(Path path) throws SyscallException {
        return open(path, O_RDONLY | O_DIRECTORY);
    }

    /** An ioctl whose argument points to memory; returns the call's (non-negative) result. */
    int ioctl(String request, long number, MemorySegment arg) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            return LibC.call(arena, "ioctl " + request, path,
                    state -> (int) LibC.IOCTL_PTR.invokeExact(state, value, number, arg));
        }
    }

    /** An ioctl whose argument is a plain value. */
    int ioctl(String request, long number, long arg) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            return LibC.call(arena, "ioctl " + request, path,
                    state -> (int) LibC.IOCTL_LONG.invokeExact(state, value, number, arg));
        }
    }

    @Override
    public void close() {
        // Linux releases the descriptor even when close reports an error, so there is nothing
        // to retry; and none of our descriptors has buffered writes whose loss close could report.
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) LibC.CLOSE.invokeExact(LibC.callState(arena), value);
        } catch (Throwable e) {
            throw new IllegalStateException("close could not be called", e);
        }
    }
}
