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

    /** {@code int open(const char *path, int flags, ...)}: variadic, always given a mode. */
    /** {@code int stat(const char *path, struct stat *buf)} (a real symbol since glibc 2.33) */
    static final MethodHandle STAT = capturing("stat", FunctionDescriptor.of(INT, PTR, PTR));

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
        MemorySegment state = callState(arena);
        int rc;
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
