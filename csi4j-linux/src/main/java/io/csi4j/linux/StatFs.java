package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** statfs(2): the size, free space and flags of the filesystem that holds a path. */
public final class StatFs {

    // struct statfs on x86_64: eleven 8-byte words (f_fsid counts as one), then four spare.
    private static final long SIZE = 120;
    private static final long F_TYPE = 0, F_BSIZE = 8, F_BLOCKS = 16, F_BFREE = 24, F_BAVAIL = 32,
            F_FILES = 40, F_FFREE = 48, F_FRSIZE = 72, F_FLAGS = 80;
    private static final long ST_RDONLY = 1;

    private StatFs() {}

    public static FileSystemStats of(Path path) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(SIZE, 8);
            MemorySegment name = arena.allocateFrom(path.toString());
            LibC.call(arena, "statfs", path, state -> (int) LibC.STATFS.invokeExact(state, name, buf));
            long frsize = buf.get(ValueLayout.JAVA_LONG, F_FRSIZE);
            long block = frsize > 0 ? frsize : buf.get(ValueLayout.JAVA_LONG, F_BSIZE);
            return new FileSystemStats(
                    buf.get(ValueLayout.JAVA_LONG, F_TYPE),
                    block,
                    block * buf.get(ValueLayout.JAVA_LONG, F_BLOCKS),
                    block * buf.get(ValueLayout.JAVA_LONG, F_BFREE),
                    block * buf.get(ValueLayout.JAVA_LONG, F_BAVAIL),
                    buf.get(ValueLayout.JAVA_LONG, F_FILES),
                    buf.get(ValueLayout.JAVA_LONG, F_FFREE),
                    (buf.get(ValueLayout.JAVA_LONG, F_FLAGS) & ST_RDONLY) != 0);
        }
    }
}
