package io.csi4j.backend.local.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files replaced whole or not at all: write a temporary file beside the target, fsync it,
 * rename it over the target, fsync the directory. A crash at any instant leaves the old content
 * or the new, never a torn file; leftovers carry {@link #TEMP_MARK} and are removed at start.
 */
public final class AtomicFiles {

    static final String TEMP_MARK = ".tmp-";

    private AtomicFiles() {}

    static void write(Path target, byte[] content) {
        Path temp = target.resolveSibling(target.getFileName() + TEMP_MARK
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(target.getParent());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // removed at the next start
            }
            throw new UncheckedIOException("cannot write " + target.getFileName(), e);
        }
    }

    /** Removes {@code target} durably; not an error when it is gone. */
    static void delete(Path target) {
        try {
            if (Files.deleteIfExists(target)) {
                syncDirectory(target.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + target.getFileName(), e);
        }
    }

    /** Makes a rename or removal in {@code dir} durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
