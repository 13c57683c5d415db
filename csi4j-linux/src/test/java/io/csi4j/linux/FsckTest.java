package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.linux.Fsck.Clean;
import io.csi4j.linux.Fsck.Corrected;
import io.csi4j.linux.Fsck.Uncorrected;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** e2fsck and xfs_repair on image files, clean and damaged on purpose. */
class FsckTest {

    private static final long MiB = 1 << 20;
    // ext4 superblock fields (at 1024): s_free_blocks_count lo, s_state, s_checksum
    private static final int SB = 1024, FREE_BLOCKS = 0x0C, STATE = 0x3A, CHECKSUM = 0x3FC;

    @TempDir
    Path dir;

    @Test
    void cleanExt4IsClean() throws Exception {
        Path image = ext4();
        assertThat(Fsck.check(image, "ext4")).isEqualTo(new Clean(0));
    }

    @Test
    void aWrongFreeBlockCountInADirtyExt4IsCorrected() throws Exception {
        Path image = ext4();
        // Not cleanly unmounted and a free block count that is wildly wrong, with the superblock
        // checksum (metadata_csum) fixed up so e2fsck reads the superblock at all.
        editSuperblock(image, sb -> {
            sb.putInt(FREE_BLOCKS, 1);
            sb.putShort(STATE, (short) 0);
        });
        assertThat(Fsck.check(image, "ext4")).isInstanceOfSatisfying(Corrected.class, c -> {
            assertThat(c.exitCode()).isEqualTo(1);
            assertThat(c.rebootAdvised()).isFalse();
            assertThat(c.output()).contains("was not cleanly unmounted");
        });
        assertThat(Fsck.check(image, "ext4")).isEqualTo(new Clean(0));
    }

    @Test
    void anUnreadableSuperblockIsAnOperationalError() throws Exception {
        Path image = ext4();
        editSuperblock(image, sb -> sb.putInt(FREE_BLOCKS, 1));
        // corrupt the checksum after it was fixed up: e2fsck cannot open the filesystem
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0}), SB + CHECKSUM);
        }
        assertThatThrownBy(() -> Fsck.check(image, "ext4")).isInstanceOfSatisfying(ToolException.class, e -> {
            assertThat(e.reason()).isEqualTo(ToolException.Reason.FAILED);
            assertThat(e.exitCode()).isEqualTo(8);
            assertThat(e.output()).contains("Superblock checksum does not match");
        });
    }

    @Test
    void e2fsckExitCodesMapExactly() throws Exception {
        assertThat(Fsck.e2fsck(new Tool.Result(0, ""))).isEqualTo(new Clean(0));
        assertThat(Fsck.e2fsck(new Tool.Result(1, "x"))).isEqualTo(new Corrected(1, false, "x"));
        assertThat(Fsck.e2fsck(new Tool.Result(2, "x"))).isEqualTo(new Corrected(2, true, "x"));
        assertThat(Fsck.e2fsck(new Tool.Result(3, "x"))).isEqualTo(new Corrected(3, true, "x"));
        assertThat(Fsck.e2fsck(new Tool.Result(4, "x"))).isEqualTo(new Uncorrected(4, "x"));
        assertThat(Fsck.e2fsck(new Tool.Result(5, "x"))).isEqualTo(new Uncorrected(5, "x"));
        for (int code : new int[] {8, 12, 16, 32, 128}) {
            assertThatThrownBy(() -> Fsck.e2fsck(new Tool.Result(code, "x")))
                    .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.exitCode()).isEqualTo(code));
        }
        assertThat(Fsck.xfsRepair(new Tool.Result(0, ""))).isEqualTo(new Clean(0));
        assertThat(Fsck.xfsRepair(new Tool.Result(1, "x"))).isEqualTo(new Uncorrected(1, "x"));
        assertThatThrownBy(() -> Fsck.xfsRepair(new Tool.Result(2, "x"))).isInstanceOf(ToolException.class);
    }

    @Test
    void cleanXfsIsClean() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("x.img"), 300 * MiB);
        Mkfs.make(image, "xfs", MkfsOptions.defaults());
        assertThat(Fsck.check(image, "xfs")).isEqualTo(new Clean(0));
    }

    private Path ext4() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("e.img"), 64 * MiB);
        Mkfs.make(image, "ext4", MkfsOptions.defaults());
        return image;
    }

    /** Edits the ext4 superblock and recomputes its crc32c (stored without the final inversion). */
    private static void editSuperblock(Path image, java.util.function.Consumer<ByteBuffer> edit) throws Exception {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer sb = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(sb, SB);
            edit.accept(sb);
            CRC32C crc = new CRC32C();
            crc.update(sb.array(), 0, CHECKSUM);
            sb.putInt(CHECKSUM, (int) ~crc.getValue());
            ch.write(sb.clear(), SB);
        }
    }
}
