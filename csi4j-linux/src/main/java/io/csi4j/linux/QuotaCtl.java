package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * quotactl(2): command numbers from {@code <linux/quota.h>} and {@code <linux/dqblk_xfs.h>}, and
 * the call, made on the block device of a mounted filesystem.
 */
final class QuotaCtl {

    static final int USRQUOTA = 0, GRPQUOTA = 1, PRJQUOTA = 2;
    private static final int SUBCMDSHIFT = 8, SUBCMDMASK = 0xff;

    // The generic (VFS) interface, used for ext4.
    static final int Q_GETFMT = 0x800004, Q_GETQUOTA = 0x800007, Q_SETQUOTA = 0x800008;
    // The XFS interface: ('X' << 8) + n.
    static final int Q_XGETQUOTA = 0x5803, Q_XSETQLIM = 0x5804, Q_XGETQSTAT = 0x5805;

    // struct fs_quota_stat: __s8 qs_version; then __u16 qs_flags at 2 (80 bytes in all).
    static final long QSTAT_SIZE = 80, QSTAT_FLAGS = 2;
    static final int FS_QUOTA_PDQ_ACCT = 0x10, FS_QUOTA_PDQ_ENFD = 0x20;

    private QuotaCtl() {}

    /** QCMD(cmd, type): the command in the high bits, the quota type in the low byte. */
    static int qcmd(int cmd, int type) {
        return (cmd << SUBCMDSHIFT) | (type & SUBCMDMASK);
    }

    static void call(String name, int cmd, Path device, int id, MemorySegment addr) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment special = arena.allocateFrom(device.toString());
            LibC.call(arena, "quotactl " + name, device + " id " + id,
                    state -> (int) LibC.QUOTACTL.invokeExact(state, cmd, special, id, addr));
        }
    }
}
