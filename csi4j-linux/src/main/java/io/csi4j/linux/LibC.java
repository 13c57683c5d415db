package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Handles to the C library functions csi4j calls, each capturing errno right after the call
 * (reading errno later would see whatever the JVM did in between). The one place that links
 * native code, hence the restricted calls.
 */
@SuppressWarnings("restricted")
final class LibC {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final ValueLayout INT = ValueLayout.JAVA_INT, LONG = ValueLayout.JAVA_LONG,
            PTR = ValueLayout.ADDRESS;

    /** {@code int statfs(const char *path, struct statfs *buf)} */
    static final MethodHandle STATFS = capturing("statfs", FunctionDescriptor.of(INT, PTR, PTR));

    /** {@code int stat(const char *path, struct stat *buf)} (a real symbol since glibc 2.33) */
    static final MethodHandle STAT = capturing("stat", FunctionDescriptor.of(INT, PTR, PTR));

    /** {@code int open(const char *path, int flags, ...)}: variadic, always given a mode. */
    static final MethodHandle OPEN = capturing("open", FunctionDescriptor.of(INT, PTR, INT, INT), 2);

    /** {@code int close(int fd)} */
    static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(INT, INT));

    /** {@code int ioctl(int fd, unsigned long request, void *arg)}: variadic, a pointer argument. */
    static final MethodHandle IOCTL_PTR = capturing("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR), 2);

    /** {@code int ioctl(int fd, unsigned long request, unsigned long arg)}: a value argument. */
    static final MethodHandle IOCTL_LONG = capturing("ioctl", FunctionDescriptor.of(INT, INT, LONG, LONG), 2);

    /** {@code int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)} */
    static final MethodHandle MOUNT = capturing("mount", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR));

    /** {@code int umount2(const char *target, int flags)} */
    static final MethodHandle UMOUNT2 = capturing("umount2", FunctionDescriptor.of(INT, PTR, INT));

    /** {@code int mknod(const char *path, mode_t mode, dev_t dev)} */
    static final MethodHandle MKNOD = capturing("mknod", FunctionDescriptor.of(INT, PTR, INT, LONG));

    /** {@code int quotactl(int cmd, const char *special, int id, caddr_t addr)} */
    static final MethodHandle QUOTACTL = capturing("quotactl", FunctionDescriptor.of(INT, INT, PTR, INT, PTR));

    /** {@code off_t lseek(int fd, off_t offset, int whence)} */
    static final MethodHandle LSEEK = capturing("lseek", FunctionDescriptor.of(LONG, INT, LONG, INT));

    /** {@code ssize_t copy_file_range(int in, off_t *off_in, int out, off_t *off_out, size_t len, unsigned flags)} (glibc 2.27+) */
    static final MethodHandle COPY_FILE_RANGE = capturing("copy_file_range",
            FunctionDescriptor.of(LONG, INT, PTR, INT, PTR, LONG, INT));

    /** {@code ssize_t pread(int fd, void *buf, size_t count, off_t offset)} */
    static final MethodHandle PREAD = capturing("pread", FunctionDescriptor.of(LONG, INT, PTR, LONG, LONG));

    /** {@code ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset)} */
    static final MethodHandle PWRITE = capturing("pwrite", FunctionDescriptor.of(LONG, INT, PTR, LONG, LONG));

    /** {@code int ftruncate(int fd, off_t length)} */
    static final MethodHandle FTRUNCATE = capturing("ftruncate", FunctionDescriptor.of(INT, INT, LONG));

    /** {@code int fsync(int fd)} */
    static final MethodHandle FSYNC = capturing("fsync", FunctionDescriptor.of(INT, INT));

    /** {@code int fchmod(int fd, mode_t mode)} */
    static final MethodHandle FCHMOD = capturing("fchmod", FunctionDescriptor.of(INT, INT, INT));

    /** {@code int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf)} (glibc 2.28+) */
    static final MethodHandle STATX = capturing("statx", FunctionDescriptor.of(INT, INT, PTR, INT, INT, PTR));

    /** {@code int unlink(const char *path)} */
    static final MethodHandle UNLINK = capturing("unlink", FunctionDescriptor.of(INT, PTR));

    /** {@code int mkdir(const char *path, mode_t mode)} */
    static final MethodHandle MKDIR = capturing("mkdir", FunctionDescriptor.of(INT, PTR, INT));

    /** {@code int symlink(const char *target, const char *linkpath)} */
    static final MethodHandle SYMLINK = capturing("symlink", FunctionDescriptor.of(INT, PTR, PTR));

    /** {@code ssize_t readlink(const char *path, char *buf, size_t size)}: not NUL-terminated. */
    static final MethodHandle READLINK = capturing("readlink", FunctionDescriptor.of(LONG, PTR, PTR, LONG));

    /** {@code int link(const char *oldpath, const char *newpath)} */
    static final MethodHandle LINK = capturing("link", FunctionDescriptor.of(INT, PTR, PTR));

    /** {@code int lchown(const char *path, uid_t owner, gid_t group)} */
    static final MethodHandle LCHOWN = capturing("lchown", FunctionDescriptor.of(INT, PTR, INT, INT));

    /** {@code int chmod(const char *path, mode_t mode)} */
    static final MethodHandle CHMOD = capturing("chmod", FunctionDescriptor.of(INT, PTR, INT));

    /** {@code int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)} */
    static final MethodHandle UTIMENSAT = capturing("utimensat", FunctionDescriptor.of(INT, INT, PTR, PTR, INT));

    /** {@code ssize_t llistxattr(const char *path, char *list, size_t size)}: names, NUL-separated. */
    static final MethodHandle LLISTXATTR = capturing("llistxattr", FunctionDescriptor.of(LONG, PTR, PTR, LONG));

    /** {@code ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)} */
    static final MethodHandle LGETXATTR = capturing("lgetxattr", FunctionDescriptor.of(LONG, PTR, PTR, PTR, LONG));

    /** {@code int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)} */
    static final MethodHandle LSETXATTR = capturing("lsetxattr", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, INT));

    /**
     * {@code long syscall(long number, ...)} with three arguments, for calls glibc 2.36 has no wrapper
     * for (openat2). Variadic: every argument is passed as a long, as the kernel reads registers.
     */
    static final MethodHandle SYSCALL3 = capturing("syscall", FunctionDescriptor.of(LONG, LONG, LONG, PTR, PTR, LONG), 1);

    /** {@code int mkdirat(int dirfd, const char *path, mode_t mode)} */
    static final MethodHandle MKDIRAT = capturing("mkdirat", FunctionDescriptor.of(INT, INT, PTR, INT));

    /** {@code int unlinkat(int dirfd, const char *path, int flags)} */
    static final MethodHandle UNLINKAT = capturing("unlinkat", FunctionDescriptor.of(INT, INT, PTR, INT));

    /** {@code int open_tree(int dirfd, const char *path, unsigned flags)} (glibc 2.36+) */
    static final MethodHandle OPEN_TREE = capturing("open_tree", FunctionDescriptor.of(INT, INT, PTR, INT));

    /** {@code int move_mount(int from_dirfd, const char *from, int to_dirfd, const char *to, unsigned flags)} (glibc 2.36+) */
    static final MethodHandle MOVE_MOUNT = capturing("move_mount", FunctionDescriptor.of(INT, INT, PTR, INT, PTR, INT));

    /** {@code int mount_setattr(int dirfd, const char *path, unsigned flags, struct mount_attr *attr, size_t size)} (glibc 2.36+) */
    static final MethodHandle MOUNT_SETATTR = capturing("mount_setattr",
            FunctionDescriptor.of(INT, INT, PTR, INT, PTR, LONG));

    /** {@code char *strerror(int errnum)}; glibc returns static strings for known codes. */
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LOOKUP.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(
                    MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), ValueLayout.JAVA_INT));

    private LibC() {}

    private static MethodHandle capturing(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle capturing(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"),
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    /** One call through a handle above, given the errno capture area as its first argument. */
    @FunctionalInterface
    interface Call {
        int invoke(MemorySegment callState) throws Throwable;
    }

    /**
     * Makes a call and returns its non-negative result; a negative one becomes a
     * {@link SyscallException} naming the call and its subject.
     */
    static int call(Arena arena, String name, Object subject, Call call) throws SyscallException {
        return (int) callLong(arena, name, subject, call::invoke);
    }

    /** One call whose result is a {@code ssize_t} or {@code off_t}. */
    @FunctionalInterface
    interface LongCall {
        long invoke(MemorySegment callState) throws Throwable;
    }

    /** As {@link #call}, for calls that return a size or an offset. */
    static long callLong(Arena arena, String name, Object subject, LongCall call) throws SyscallException {
        MemorySegment state = callState(arena);
        long rc;
        try {
            rc = call.invoke(state);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(name + " could not be called", e);
        }
        if (rc < 0) {
            throw new SyscallException(name, String.valueOf(subject), errno(state));
        }
        return rc;
    }

    /** glibc's makedev(3), a macro rather than a symbol: a dev_t from major and minor numbers. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** A C string in the arena, or NULL for a null argument. */
    static MemorySegment string(Arena arena, String s) {
        return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
    }

    /** A fresh errno capture area for one call. */
    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }
}
