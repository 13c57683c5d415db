package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The structs and commands of project quotas, and telling an unsupported filesystem apart. */
class ProjectQuotaTest {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void fsxattrHasTheLayoutOfLinuxFsH() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = new FsXattr(FsXattr.FS_XFLAG_PROJINHERIT, 4096, 3, 42, 32).encode(arena);
            assertThat(s.byteSize()).isEqualTo(28);
            assertThat(s.get(ValueLayout.JAVA_INT, 0)).isEqualTo(0x200);
            assertThat(s.get(ValueLayout.JAVA_INT, 4)).isEqualTo(4096);
            assertThat(s.get(ValueLayout.JAVA_INT, 8)).isEqualTo(3);
            assertThat(s.get(ValueLayout.JAVA_INT, 12)).isEqualTo(42);
            assertThat(s.get(ValueLayout.JAVA_INT, 16)).isEqualTo(32);
            assertThat(s.asSlice(20, 8).toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);
            assertThat(FsXattr.decode(s)).isEqualTo(new FsXattr(0x200, 4096, 3, 42, 32));
            assertThat(FsXattr.decode(s).projectInherit()).isTrue();
        }
    }

    @Test
    void xfsLimitsAreFsDiskQuotaInBasicBlocks() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = FsDiskQuota.projectBlockLimits(42, 10 * MiB, 8 * MiB + 1).encode(arena);
            assertThat(s.byteSize()).isEqualTo(112);
            assertThat(s.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 1); // FS_DQUOT_VERSION
            assertThat(s.get(ValueLayout.JAVA_BYTE, 1)).isEqualTo((byte) 2); // FS_PROJ_QUOTA
            assertThat(s.get(ValueLayout.JAVA_SHORT, 2)).isEqualTo((short) (4 | 8)); // FS_DQ_BSOFT | FS_DQ_BHARD
            assertThat(s.get(ValueLayout.JAVA_INT, 4)).isEqualTo(42);
            assertThat(s.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(20480); // 10 MiB / 512
            assertThat(s.get(ValueLayout.JAVA_LONG, 16)).isEqualTo(16385); // rounded up
            assertThat(s.asSlice(24, 112 - 24).toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);

            s.set(ValueLayout.JAVA_LONG, 40, 2048); // d_bcount
            s.set(ValueLayout.JAVA_LONG, 48, 5); // d_icount
            assertThat(FsDiskQuota.decode(s).usage()).isEqualTo(new QuotaUsage(MiB, 10 * MiB, 16385 * 512L, 5));
        }
    }

    @Test
    void ext4LimitsAreIfDqblkInKibibytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = IfDqblk.blockLimits(10 * MiB, 1).encode(arena);
            assertThat(s.byteSize()).isEqualTo(72);
            assertThat(s.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(10240); // dqb_bhardlimit
            assertThat(s.get(ValueLayout.JAVA_LONG, 8)).isEqualTo(1); // dqb_bsoftlimit, rounded up
            assertThat(s.get(ValueLayout.JAVA_INT, 64)).isEqualTo(1); // dqb_valid = QIF_BLIMITS
            assertThat(s.asSlice(16, 48).toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);

            s.set(ValueLayout.JAVA_LONG, 16, 3 * MiB + 7); // dqb_curspace, bytes
            s.set(ValueLayout.JAVA_LONG, 40, 2); // dqb_curinodes
            assertThat(IfDqblk.decode(s).usage()).isEqualTo(new QuotaUsage(3 * MiB + 7, 10 * MiB, 1024, 2));
        }
    }

    @Test
    void aFilesystemWithoutProjectQuotasIsUnsupportedWithAReason() throws Exception {
        QuotaSupport support = ProjectQuota.supported(dir);
        assertThat(support.supported()).isFalse();
        assertThat(support.reason()).containsAnyOf("not mounted with prjquota", "xfs and ext4 only");
        assertThatThrownBy(() -> ProjectQuota.of(dir)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(support.reason());
    }

    @Test
    void projectZeroIsNoProject() {
        assertThatThrownBy(() -> ProjectQuota.assign(dir, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
