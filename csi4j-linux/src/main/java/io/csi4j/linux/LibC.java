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
 * (reading errno later would see whatever the JVM did in between).
 */
final class LibC {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code int statfs(const char *path, struct statfs *buf)} */
    static final MethodHandle STATFS = capturing("statfs",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    /** {@code char *strerror(int errnum)}; glibc returns static strings for known codes. */
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LOOKUP.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(
                    MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), ValueLayout.JAVA_INT));

    private LibC() {}

    private static MethodHandle capturing(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(
                        () -> new UnsatisfiedLinkError("libc has no " + name)),
                descriptor, Linker.Option.captureCallState("errno"));
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
