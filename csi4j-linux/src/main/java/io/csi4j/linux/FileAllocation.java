package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * How much of a file's size is backed by disk blocks, from stat(2)'s {@code st_blocks}: a sparse
 * image reports its full size but only what was written is allocated.
 */
public final class FileAllocation {

    // struct stat on x86_64: 144 bytes, st_blocks (in 512-byte units) at offset 64.
    private static final long SIZE = 144, ST_BLOCKS = 64;

    private FileAllocation() {}

    /** The bytes allocated to {@code path} (its blocks times 512). */
    public static long allocatedBytes(Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(SIZE, 8);
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "stat", path, state -> (int) LibC.STAT.invokeExact(state, name, buf));
            return buf.get(ValueLayout.JAVA_LONG, ST_BLOCKS) * 512;
        }
    }
}
