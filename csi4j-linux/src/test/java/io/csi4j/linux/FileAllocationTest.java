package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAllocationTest {

    @TempDir
    Path dir;

    @Test
    void aSparseFileHasAlmostNothingAllocatedAndWritesShowUp() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("image"), 64L << 20);

        assertThat(FileAllocation.allocatedBytes(image)).isLessThan(1L << 20);

        Fixtures.write(image, 4L << 20);
        assertThat(FileAllocation.allocatedBytes(image)).isGreaterThanOrEqualTo(4L << 20);
    }

    @Test
    void agreesWithTheStatCommand() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("image"), 16L << 20);
        Fixtures.write(image, 3L << 20);

        long blocks = Long.parseLong(Fixtures.run("stat", "-c", "%b", image.toString()).strip());
        assertThat(FileAllocation.allocatedBytes(image)).isEqualTo(blocks * 512);
    }

    @Test
    void aMissingFileIsEnoent() {
        assertThatThrownBy(() -> FileAllocation.allocatedBytes(dir.resolve("absent")))
                .isInstanceOfSatisfying(SyscallException.class, e -> assertThat(e.errno()).isEqualTo(SyscallException.ENOENT));
    }
}
