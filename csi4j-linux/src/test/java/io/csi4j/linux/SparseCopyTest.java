package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sparse copies in the temp directory's filesystem (ext4 on the build machines). */
class SparseCopyTest {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void copiesOnlyTheDataAndKeepsTheHoles() throws Exception {
        // 64 MiB with 1 MiB of data: 512 KiB near the start, 512 KiB in the middle, a hole at the end.
        Path source = Fixtures.sparseImage(dir.resolve("source"), 64 * MiB);
        Random random = new Random(42);
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            for (long at : new long[] {4 * MiB, 32 * MiB}) {
                byte[] data = new byte[(int) (MiB / 2)];
                random.nextBytes(data);
                f.seek(at);
                f.write(data);
            }
        }
        Path target = dir.resolve("target");

        long copied = SparseCopy.copy(source, target);

        assertThat(copied).isEqualTo(MiB);
        assertThat(Files.size(target)).isEqualTo(64 * MiB);
        assertThat(sha256(target)).isEqualTo(sha256(source));
        assertThat(FileAllocation.allocatedBytes(target)).isBetween(MiB, 2 * MiB);
        assertThat(FileStat.of(target).allocated()).isEqualTo(FileAllocation.allocatedBytes(target));
    }

    @Test
    void anEmptyFileAndAllHoleFileCopyNothing() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty"));
        assertThat(SparseCopy.copy(empty, dir.resolve("empty-copy"))).isZero();
        assertThat(Files.size(dir.resolve("empty-copy"))).isZero();

        Path holes = Fixtures.sparseImage(dir.resolve("holes"), 16 * MiB);
        assertThat(SparseCopy.copy(holes, dir.resolve("holes-copy"))).isZero();
        assertThat(Files.size(dir.resolve("holes-copy"))).isEqualTo(16 * MiB);
        assertThat(FileAllocation.allocatedBytes(dir.resolve("holes-copy"))).isZero();
    }

    @Test
    void keepsTheModeExactlyWhateverTheUmask() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "x");
        Files.setPosixFilePermissions(source, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrw-rw-"));
        SparseCopy.copy(source, dir.resolve("target"));
        assertThat(FileStat.of(dir.resolve("target")).permissions()).isEqualTo(0766);
    }

    @Test
    void refusesAnExistingTargetAndLeavesIt() throws Exception {
        Path source = Files.writeString(dir.resolve("source"), "new");
        Path target = Files.writeString(dir.resolve("target"), "old");
        assertThatThrownBy(() -> SparseCopy.copy(source, target)).isInstanceOfSatisfying(SyscallException.class,
                e -> assertThat(e.errno()).isEqualTo(SyscallException.EEXIST));
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThatThrownBy(() -> SparseCopy.copy(dir.resolve("absent"), dir.resolve("t2")))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.ENOENT));
        assertThat(dir.resolve("t2")).doesNotExist();
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
