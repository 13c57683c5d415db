package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatFsTest {

    @TempDir
    Path dir;

    @Test
    void agreesWithTheJdksViewOfTheSameFilesystem() throws Exception {
        FileSystemStats stats = StatFs.of(dir);
        var store = Files.getFileStore(dir);

        assertThat(stats.totalBytes()).isEqualTo(store.getTotalSpace());
        assertThat(stats.blockSize()).isEqualTo(store.getBlockSize());
        assertThat(stats.availableBytes()).isBetween(0L, stats.freeBytes());
        assertThat(stats.freeBytes()).isLessThanOrEqualTo(stats.totalBytes());
        assertThat(stats.readOnly()).isFalse();
    }

    @Test
    void seesProcAsReadOnlyOrNot() throws Exception {
        // /proc/sys is mounted read-only inside containers and read-write on hosts: either way
        // the flag must agree with what the kernel reports in /proc/self/mountinfo.
        boolean roInMountInfo = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" "))
                .filter(f -> f[4].equals("/"))
                .anyMatch(f -> f[5].startsWith("ro"));
        assertThat(StatFs.of(Path.of("/")).readOnly()).isEqualTo(roInMountInfo);
    }

    @Test
    void missingPathFailsWithEnoent() {
        assertThatThrownBy(() -> StatFs.of(dir.resolve("absent")))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.ENOENT))
                .hasMessageContaining("statfs(")
                .hasMessageContaining("No such file or directory");
    }
}
