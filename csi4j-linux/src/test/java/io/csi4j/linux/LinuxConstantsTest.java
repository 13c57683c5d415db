package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The numbers csi4j hands the kernel, checked two ways: recomputed from the _IOC encoding of
 * {@code <asm-generic/ioctl.h>}, and against the values the UAPI headers gave a C compiler
 * (offsetof/sizeof/the macros, on x86_64).
 */
class LinuxConstantsTest {

    private static final int NONE = 0, WRITE = 1, READ = 2;

    /** {@code _IOC(dir, type, nr, size)}: dir in bits 30-31, size 16-29, type 8-15, nr 0-7. */
    private static long ioc(int dir, int type, int nr, long size) {
        return ((long) dir << 30) | (size << 16) | ((long) type << 8) | nr;
    }

    @Test
    void ioctlNumbersFollowTheirEncoding() {
        assertThat(FsXattr.FS_IOC_FSGETXATTR).isEqualTo(ioc(READ, 'X', 31, FsXattr.SIZE)).isEqualTo(0x801C581FL);
        assertThat(FsXattr.FS_IOC_FSSETXATTR).isEqualTo(ioc(WRITE, 'X', 32, FsXattr.SIZE)).isEqualTo(0x401C5820L);

        assertThat(Btrfs.IOC_SYNC).isEqualTo(ioc(NONE, 0x94, 8, 0));
        assertThat(Btrfs.IOC_SUBVOL_CREATE).isEqualTo(ioc(WRITE, 0x94, 14, Btrfs.VOL_ARGS_SIZE));
        assertThat(Btrfs.IOC_SNAP_DESTROY).isEqualTo(ioc(WRITE, 0x94, 15, Btrfs.VOL_ARGS_SIZE));
        assertThat(Btrfs.IOC_INO_LOOKUP).isEqualTo(ioc(READ | WRITE, 0x94, 18, Btrfs.INO_LOOKUP_SIZE));
        assertThat(Btrfs.IOC_SNAP_CREATE_V2).isEqualTo(ioc(WRITE, 0x94, 23, 4096));
        assertThat(BtrfsQuota.IOC_TREE_SEARCH).isEqualTo(ioc(READ | WRITE, 0x94, 17, BtrfsQuota.SEARCH_SIZE));
        assertThat(BtrfsQuota.IOC_QUOTA_CTL).isEqualTo(ioc(READ | WRITE, 0x94, 40, 16));
        assertThat(BtrfsQuota.IOC_QGROUP_LIMIT).isEqualTo(ioc(READ, 0x94, 43, BtrfsQuota.LIMIT_ARGS_SIZE));
        assertThat(BtrfsQuota.IOC_QUOTA_RESCAN_WAIT).isEqualTo(ioc(NONE, 0x94, 46, 0));

        assertThat(FileClone.FICLONE).isEqualTo(ioc(WRITE, 0x94, 9, 4)).isEqualTo(0x40049409L);
        assertThat(Freeze.FIFREEZE).isEqualTo(ioc(READ | WRITE, 'X', 119, 4)).isEqualTo(0xC0045877L);
        assertThat(Freeze.FITHAW).isEqualTo(ioc(READ | WRITE, 'X', 120, 4)).isEqualTo(0xC0045878L);

        // The loop ioctls predate the encoding: plain 0x4C00 + n.
        assertThat(new long[] {LoopDevice.LOOP_CLR_FD, LoopDevice.LOOP_GET_STATUS64, LoopDevice.LOOP_SET_CAPACITY,
                LoopDevice.LOOP_CONFIGURE, LoopDevice.LOOP_CTL_GET_FREE})
                .containsExactly(0x4C01, 0x4C05, 0x4C07, 0x4C0A, 0x4C82);
    }

    @Test
    void quotactlCommandsMatchQcmd() {
        int prj = QuotaCtl.PRJQUOTA;
        assertThat(prj).isEqualTo(2);
        assertThat(QuotaCtl.qcmd(QuotaCtl.Q_XSETQLIM, prj)).isEqualTo(0x580402);
        assertThat(QuotaCtl.qcmd(QuotaCtl.Q_XGETQUOTA, prj)).isEqualTo(0x580302);
        assertThat(QuotaCtl.qcmd(QuotaCtl.Q_XGETQSTAT, prj)).isEqualTo(0x580502);
        assertThat(QuotaCtl.qcmd(QuotaCtl.Q_SETQUOTA, prj)).isEqualTo(0x80000802);
        assertThat(QuotaCtl.qcmd(QuotaCtl.Q_GETQUOTA, prj)).isEqualTo(0x80000702);
        assertThat(QuotaCtl.qcmd(QuotaCtl.Q_GETFMT, prj)).isEqualTo(0x80000402);
        assertThat(QuotaCtl.Q_XSETQLIM).isEqualTo(('X' << 8) + 4);
    }

    @Test
    void mountFlagsAreThoseOfSysMount() {
        assertThat(MountFlag.bits(EnumSet.of(MountFlag.RDONLY, MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC)))
                .isEqualTo(0xF);
        assertThat(MountFlag.REMOUNT.bit()).isEqualTo(32);
        assertThat(MountFlag.BIND.bit()).isEqualTo(4096);
        assertThat(MountFlag.REC.bit()).isEqualTo(16384);
        assertThat(MountFlag.PRIVATE.bit()).isEqualTo(1 << 18);
        assertThat(MountFlag.SHARED.bit()).isEqualTo(1 << 20);
        assertThat(MountFlag.bits(EnumSet.noneOf(MountFlag.class))).isZero();
    }

    @Test
    void loopConfigPutsItsFieldsWhereTheKernelReadsThem() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = LoopDevice.config(arena, 9, Path.of("/images/disk.img"),
                    new LoopOptions(true, true, true, 4096));
            assertThat(c.byteSize()).isEqualTo(304);
            assertThat(c.get(ValueLayout.JAVA_INT, 0)).isEqualTo(9);
            assertThat(c.get(ValueLayout.JAVA_INT, 4)).isEqualTo(4096);
            // lo_flags: loop_info64 at 8, lo_flags at 52 inside it.
            assertThat(c.get(ValueLayout.JAVA_INT, 60)).isEqualTo(1 | 4 | 16);
            assertThat(c.getString(64)).isEqualTo("/images/disk.img");
            assertThat(c.asSlice(240, 64).toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);

            String longName = "/" + "x".repeat(100);
            MemorySegment d = LoopDevice.config(arena, 3, Path.of(longName), LoopOptions.defaults());
            assertThat(d.getString(64)).hasSize(63);
            assertThat(d.get(ValueLayout.JAVA_INT, 60)).isZero();
        }
    }

    @Test
    void loopStatusReadsLoopInfo64() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(LoopStatus.SIZE, 8);
            info.set(ValueLayout.JAVA_LONG, 0, 0xFE01L);
            info.set(ValueLayout.JAVA_LONG, 8, 1234L);
            info.set(ValueLayout.JAVA_LONG, 24, 512L);
            info.set(ValueLayout.JAVA_INT, 40, 7);
            info.set(ValueLayout.JAVA_INT, 52, 16 | 4);
            info.setString(56, "/img");
            LoopStatus s = LoopStatus.decode(info);
            assertThat(s).isEqualTo(new LoopStatus(0xFE01L, 1234L, 512L, 0, 7, 20, "/img"));
            assertThat(s.directIo()).isTrue();
            assertThat(s.autoclear()).isTrue();
            assertThat(s.readOnly()).isFalse();
        }
    }

    @Test
    void makedevMatchesGlibc() {
        assertThat(LibC.makedev(7, 8)).isEqualTo(0x708);
        // Values printed by a C program using <sys/sysmacros.h>.
        assertThat(LibC.makedev(259, 65536)).isEqualTo(268501760L);
        assertThat(LibC.makedev(4097, 300)).isEqualTo(17592187093292L);
    }
}
