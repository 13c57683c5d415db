package io.csi4j.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Copies a file's data and not its holes: lseek SEEK_DATA/SEEK_HOLE find the data regions and
 * copy_file_range(2) moves each inside the kernel (on XFS and btrfs it may even share the
 * blocks). Needed because copy_file_range alone may fill holes in (its man page says so), which
 * would turn a sparse 10 GiB volume image into 10 GiB on disk.
 */
public final class SparseCopy {

    /** The most one copy_file_range or read/write call is asked to move. */
    static final long CHUNK = 1L << 30, BUFFER = 1L << 20;

    private SparseCopy() {}

    /**
     * Creates {@code target}, which must not exist, as long as {@code source} and with its mode,
     * copies the data regions, and fsyncs it. Returns the bytes copied (the data, not the holes).
     * On failure nothing is left at {@code target}.
     */
    public static long copy(Path source, Path target) throws IOException {
        return FileClone.intoNewFile(source, target, (in, out, size) -> {
            long copied = copyData(in, out, size);
            out.fsync();
            return copied;
        });
    }

    private static long copyData(Fd in, Fd out, long size) throws SyscallException {
        // The length first, so that a hole at the end stays a hole.
        out.truncate(size);
        Mover mover = new Mover(in, out);
        long copied = 0;
        for (long pos = 0; pos < size; ) {
            long data;
            try {
                data = in.seek(pos, Fd.SEEK_DATA);
            } catch (SyscallException e) {
                if (e.errno() == SyscallException.ENXIO) {
                    break; // only a hole from pos to the end
                }
                throw e;
            }
            // There is always a hole at the end of the file, so this is at most its length.
            long hole = Math.min(in.seek(data, Fd.SEEK_HOLE), size);
            if (data >= hole) {
                break;
            }
            copied += mover.move(data, hole - data);
            pos = hole;
        }
        return copied;
    }

    /** Moves ranges with copy_file_range, or with pread/pwrite once the kernel says it cannot. */
    private static final class Mover {
        private final Fd in, out;
        private boolean readWrite;

        Mover(Fd in, Fd out) {
            this.in = in;
            this.out = out;
        }

        /** Copies {@code length} bytes at {@code offset} to the same offset; fewer only if the source shrank. */
        long move(long offset, long length) throws SyscallException {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment offIn = arena.allocateFrom(ValueLayout.JAVA_LONG, offset);
                MemorySegment offOut = arena.allocateFrom(ValueLayout.JAVA_LONG, offset);
                long done = 0;
                while (done < length && !readWrite) {
                    long want = Math.min(length - done, CHUNK);
                    long n;
                    try {
                        n = LibC.callLong(arena, "copy_file_range", in.path(), state -> (long) LibC.COPY_FILE_RANGE
                                .invokeExact(state, in.value(), offIn, out.value(), offOut, want, 0));
                    } catch (SyscallException e) {
                        if (!fallsBack(e.errno())) {
                            throw e;
                        }
                        readWrite = true;
                        break;
                    }
                    if (n == 0) {
                        return done; // end of file: the source shrank under us
                    }
                    done += n;
                }
                return readWrite ? done + readWrite(arena, offset + done, length - done) : done;
            }
        }

        private long readWrite(Arena arena, long offset, long length) throws SyscallException {
            MemorySegment buf = arena.allocate(Math.min(length, BUFFER));
            long done = 0;
            while (done < length) {
                long at = offset + done, want = Math.min(length - done, buf.byteSize());
                long n = LibC.callLong(arena, "pread", in.path(),
                        state -> (long) LibC.PREAD.invokeExact(state, in.value(), buf, want, at));
                if (n == 0) {
                    return done;
                }
                for (long w = 0; w < n; ) {
                    MemorySegment rest = buf.asSlice(w, n - w);
                    long to = at + w, left = n - w;
                    w += LibC.callLong(arena, "pwrite", out.path(),
                            state -> (long) LibC.PWRITE.invokeExact(state, out.value(), rest, left, to));
                }
                done += n;
            }
            return done;
        }
    }

    /** copy_file_range's answers for "not between these files", per its man page. */
    static boolean fallsBack(int errno) {
        return errno == SyscallException.EXDEV || errno == SyscallException.ENOSYS || errno == SyscallException.EOPNOTSUPP;
    }
}
