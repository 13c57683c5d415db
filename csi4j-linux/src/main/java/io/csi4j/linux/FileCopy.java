package io.csi4j.linux;

import java.io.IOException;
import java.nio.file.Path;

/** Copies a file the cheapest way the filesystem allows: a reflink, else a sparse copy. */
public final class FileCopy {

    /** How a file was copied. */
    public sealed interface Outcome {}

    /** The target shares the source's blocks: no data was moved. */
    public record Reflinked() implements Outcome {}

    /** The data regions were copied; {@code bytes} of them (holes excluded). */
    public record Copied(long bytes) implements Outcome {}

    private FileCopy() {}

    /**
     * Creates {@code target}, which must not exist, as a copy of {@code source}: FICLONE where the
     * filesystem reflinks, {@link SparseCopy} where it cannot. On failure nothing is left at
     * {@code target}.
     */
    public static Outcome cloneOrCopy(Path source, Path target) throws IOException {
        try {
            FileClone.reflink(source, target);
            return new Reflinked();
        } catch (SyscallException e) {
            if (!cannotReflink(e)) {
                throw e;
            }
        }
        return new Copied(SparseCopy.copy(source, target));
    }

    /**
     * Whether FICLONE failed because these files cannot be reflinked at all, not because of
     * them: no support in the filesystem (EOPNOTSUPP; ENOTTY from drivers that know no such
     * ioctl), two filesystems (EXDEV), or what the filesystem cannot share (EINVAL).
     */
    static boolean cannotReflink(SyscallException e) {
        return switch (e.errno()) {
            case SyscallException.EOPNOTSUPP, SyscallException.EXDEV, SyscallException.EINVAL,
                 SyscallException.ENOTTY -> true;
            default -> false;
        };
    }
}
