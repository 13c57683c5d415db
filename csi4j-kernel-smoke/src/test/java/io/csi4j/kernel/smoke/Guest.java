package io.csi4j.kernel.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the kernel tests share: the guest check, work directories under target/, files and devices. */
final class Guest {

    private Guest() {}

    /** Kernel tests need the guest's kernel: run on the host, they fail here, loudly. */
    static void require() {
        assertThat(System.getenv("CSI4J_TEST_KERNEL"))
                .as("tests tagged \"kernel\" run inside test-kernel/run (a QEMU guest on Debian's kernel)")
                .isNotNull();
    }

    /** A fresh directory under the module's target/ (on the project share; the guest's /tmp is a tmpfs). */
    static Path workDir(String name) throws IOException {
        Path root = Files.createDirectories(Path.of("target", "kernel-smoke").toAbsolutePath());
        return Files.createTempDirectory(root, name + "-");
    }

    static Path sparseFile(Path path, long size) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(size);
        }
        return path;
    }

    /** Writes {@code size} bytes in 1 MiB writes and syncs them; the first failing write throws. */
    static void write(Path path, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; written += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
            channel.force(true);
        }
    }

    static boolean isBlockDevice(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        return (mode & 0170000) == 0060000;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
