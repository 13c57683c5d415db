package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mkfs on image files, checked by reading back the superblock; and the ways running a tool fails. */
class MkfsTest {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void makesExt4WithLabelAndUuid() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("e.img"), 64 * MiB);
        UUID uuid = UUID.randomUUID();
        Mkfs.make(image, "ext4", MkfsOptions.defaults().withLabel("pvc-data").withUuid(uuid));

        assertThat(BlockProbe.probe(image)).isEqualTo(new BlockProbe.Filesystem("ext4"));
        // s_uuid at 0x68, s_volume_name at 0x78 in the superblock at 1024
        assertThat(uuidAt(image, 1024 + 0x68)).isEqualTo(uuid);
        assertThat(stringAt(image, 1024 + 0x78, 16)).isEqualTo("pvc-data");
        assertThat(Fixtures.run("dumpe2fs", "-h", image.toString())).containsPattern("Reserved block count:\\s+0\\n");
    }

    @Test
    void makesXfsWithLabelAndUuid() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("x.img"), 300 * MiB);
        UUID uuid = UUID.randomUUID();
        Mkfs.make(image, "xfs", MkfsOptions.defaults().withLabel("pvc-x").withUuid(uuid));

        assertThat(BlockProbe.probe(image)).isEqualTo(new BlockProbe.Filesystem("xfs"));
        // sb_uuid at 32, sb_fname at 108
        assertThat(uuidAt(image, 32)).isEqualTo(uuid);
        assertThat(stringAt(image, 108, 12)).isEqualTo("pvc-x");
    }

    @Test
    void aFailingRunCarriesExitCodeAndOutput() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("tiny.img"), 1 * MiB);
        assertThatThrownBy(() -> Mkfs.make(image, "xfs", MkfsOptions.defaults()))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ToolException.Reason.FAILED);
                    assertThat(e.tool()).isEqualTo("mkfs.xfs");
                    assertThat(e.exitCode()).isEqualTo(1);
                    assertThat(e.output()).isNotBlank().hasSizeLessThanOrEqualTo(Tool.TAIL_BYTES);
                    assertThat(e.getMessage()).contains("exit code 1").contains(e.output());
                });
    }

    @Test
    void aMissingToolIsAClearError(@TempDir Path empty) {
        assertThatThrownBy(() -> Mkfs.make(dir.resolve("any.img"), "ext4", MkfsOptions.defaults(), List.of(empty)))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ToolException.Reason.NOT_FOUND);
                    assertThat(e.exitCode()).isEqualTo(-1);
                })
                .hasMessageContaining("mkfs.ext4 not found in [" + empty + "]");
    }

    @Test
    void refusesWhatTheToolsWouldSilentlyTruncateOrCannotMake() {
        assertThatThrownBy(() -> Mkfs.make(dir.resolve("a"), "xfs", MkfsOptions.defaults().withLabel("thirteen-char")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Mkfs.make(dir.resolve("a"), "vfat", MkfsOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aToolThatOverrunsItsTimeoutIsKilled() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Tool.run(List.of("/usr/bin/sleep", "30"), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(ToolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ToolException.Reason.TIMED_OUT))
                .hasMessageContaining("did not finish within PT0.2S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void keepsOnlyTheLastLinesOfOutput() throws Exception {
        Tool.Result r = Tool.run(List.of("/usr/bin/seq", "1", "200000"), Duration.ofSeconds(30));
        assertThat(r.exitCode()).isZero();
        assertThat(r.output().length()).isBetween(Tool.TAIL_BYTES - 16, Tool.TAIL_BYTES);
        assertThat(r.output()).endsWith("199999\n200000");
        assertThat(r.output().lines().findFirst().orElseThrow()).matches("\\d+"); // a whole line first
        assertThat(Integer.parseInt(r.output().lines().findFirst().orElseThrow())).isGreaterThan(199000);
    }

    private static UUID uuidAt(Path image, long at) throws Exception {
        ByteBuffer b = read(image, at, 16);
        return new UUID(b.getLong(), b.getLong());
    }

    private static String stringAt(Path image, long at, int max) throws Exception {
        byte[] raw = read(image, at, max).array();
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    private static ByteBuffer read(Path image, long at, int n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(image)) {
            ch.read(b, at);
        }
        return b.flip();
    }
}
