package io.csi4j.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Reflinks: a new file that shares all of another's blocks (FICLONE, {@code <linux/fs.h>}), so it
 * costs no space and no time until either is written. XFS with reflink=1 and btrfs do this; ext4
 * does not (EOPNOTSUPP), nor does any pair of files on two filesystems (EXDEV).
 */
public final class FileClone {

    static final long FICLONE = 0x40049409L; // _IOW(0x94, 9, int)

    private FileClone() {}

    /**
     * Creates {@code target}, which must not exist, with the mode of {@code source} and all of its
     * content cloned. On failure nothing is left at {@code target}.
     */
    public static void reflink(Path source, Path target) throws SyscallException {
        intoNewFile(source, target, (in, out, size) -> out.ioctl("FICLONE", FICLONE, (long) in.value()));
    }

    /** What fills a new file from its source; {@code size} is the source's length. */
    @FunctionalInterface
    interface Filler<T, E extends IOException> {
        T fill(Fd in, Fd out, long size) throws E;
    }

    /**
     * Opens {@code source}, creates {@code target} (O_EXCL, the source's mode) and fills it; when
     * filling fails, the target is removed again.
     */
    static <T, E extends IOException> T intoNewFile(Path source, Path target, Filler<T, E> filler)
            throws E, SyscallException {
        FileStat stat = FileStat.of(source);
        try (Fd in = Fd.open(source, Fd.O_RDONLY)) {
            Fd out = Fd.createExclusive(target, stat.permissions());
            try (out) {
                return filler.fill(in, out, stat.size());
            } catch (IOException | RuntimeException e) {
                removePartial(target, e);
                throw e;
            }
        }
    }

    /**
     * Whether the filesystem holding {@code dir} can reflink: clones a one-block probe file there,
     * and removes both files again.
     */
    public static boolean canReflink(Path dir) throws IOException {
        String probe = ".csi4j-reflink-" + UUID.randomUUID();
        Path source = dir.resolve(probe), target = dir.resolve(probe + "-clone");
        try {
            // A whole block of data: an empty source could succeed without the filesystem cloning anything.
            Files.write(source, new byte[4096], java.nio.file.StandardOpenOption.CREATE_NEW);
            reflink(source, target);
            return true;
        } catch (SyscallException e) {
            if (FileCopy.cannotReflink(e)) {
                return false;
            }
            throw e;
        } finally {
            Files.deleteIfExists(target);
            Files.deleteIfExists(source);
        }
    }

    /** Removes a target this call created; a failure to do so is added to {@code cause}. */
    private static void removePartial(Path target, Exception cause) {
        try {
            PathCalls.unlink(target);
        } catch (SyscallException e) {
            cause.addSuppressed(e);
        }
    }
}
