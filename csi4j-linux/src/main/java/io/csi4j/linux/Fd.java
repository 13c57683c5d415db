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

    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;

    static Fd open(Path path, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            int fd = LibC.call(arena, "open", path,
                    state -> (int) LibC.OPEN.invokeExact(state, name, flags | O_CLOEXEC, 0));
            return new Fd(fd, path);
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
