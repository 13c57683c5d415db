package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.linux.BlockProbe.Blank;
import io.csi4j.linux.BlockProbe.Filesystem;
import io.csi4j.linux.BlockProbe.Unknown;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probes images that the real mkfs tools made here: the signatures are what they write, not what a spec says. */
class BlockProbeTest {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void sparseFileIsBlank() throws Exception {
        assertThat(BlockProbe.probe(Fixtures.sparseImage(dir.resolve("b.img"), 64 * MiB))).isEqualTo(new Blank());
    }

    @Test
    void tellsExt4Ext3AndExt2Apart() throws Exception {
        for (String type : new String[] {"ext4", "ext3", "ext2"}) {
            Path image = Fixtures.sparseImage(dir.resolve(type + ".img"), 32 * MiB);
            Fixtures.run("mkfs." + type, "-q", "-F", image.toString());
            assertThat(BlockProbe.probe(image)).as(type).isEqualTo(new Filesystem(type));
        }
    }

    @Test
    void findsXfs() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("x.img"), 300 * MiB);
        Fixtures.run("mkfs.xfs", "-q", "-f", image.toString());
        assertThat(BlockProbe.probe(image)).isEqualTo(new Filesystem("xfs"));
    }

    @Test
    void findsBtrfs() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("b.img"), 114 * MiB);
        Fixtures.run("mkfs.btrfs", "-q", "-f", image.toString());
        assertThat(BlockProbe.probe(image)).isEqualTo(new Filesystem("btrfs"));
    }

    @Test
    void findsSwap() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("s.img"), 16 * MiB);
        Fixtures.run("mkswap", image.toString());
        assertThat(BlockProbe.probe(image)).isEqualTo(new Filesystem("swap"));
    }

    @Test
    void randomBytesHoldData() throws Exception {
        byte[] data = new byte[256 * 1024];
        new Random(42).nextBytes(data);
        data[0] = 1; // never all zero by chance, and never "XFSB"
        Path image = Files.write(dir.resolve("r.img"), data);
        assertThat(BlockProbe.probe(image)).isInstanceOfSatisfying(Unknown.class,
                u -> assertThat(u.hint()).contains("holds data"));
    }

    @Test
    void dataInTheBtrfsSuperblockAreaIsNotBlank() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("late.img"), 1 * MiB);
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.seek(64 * 1024 + 100);
            f.write(7);
        }
        assertThat(BlockProbe.probe(image)).isInstanceOf(Unknown.class);
    }

    @Test
    void shortFilesAreReadAsFarAsTheyGo() throws Exception {
        assertThat(BlockProbe.probe(Files.write(dir.resolve("zeros"), new byte[3000]))).isEqualTo(new Blank());
        assertThat(BlockProbe.probe(Files.write(dir.resolve("empty"), new byte[0]))).isEqualTo(new Blank());
        assertThat(BlockProbe.probe(Files.writeString(dir.resolve("text"), "hello"))).isInstanceOf(Unknown.class);
        // an ext4 superblock survives being cut short
        Path ext4 = Fixtures.sparseImage(dir.resolve("e.img"), 32 * MiB);
        Fixtures.run("mkfs.ext4", "-q", "-F", ext4.toString());
        byte[] head = new byte[4096];
        try (var ch = java.nio.channels.FileChannel.open(ext4)) {
            ch.read(java.nio.ByteBuffer.wrap(head), 0);
        }
        assertThat(BlockProbe.probe(Files.write(dir.resolve("cut"), head))).isEqualTo(new Filesystem("ext4"));
    }

    @Test
    void extFeatureFlagsDecideTheType() {
        assertThat(BlockProbe.extType(0x3C, 0x2C2)).isEqualTo("ext4");
        assertThat(BlockProbe.extType(0x3C, BlockProbe.INCOMPAT_EXTENTS)).isEqualTo("ext4");
        assertThat(BlockProbe.extType(0x3C, BlockProbe.INCOMPAT_64BIT)).isEqualTo("ext4");
        assertThat(BlockProbe.extType(0x3C, BlockProbe.INCOMPAT_FLEX_BG)).isEqualTo("ext4");
        assertThat(BlockProbe.extType(0x3C, 0x2)).isEqualTo("ext3");
        assertThat(BlockProbe.extType(0x38, 0x2)).isEqualTo("ext2");
    }
}
