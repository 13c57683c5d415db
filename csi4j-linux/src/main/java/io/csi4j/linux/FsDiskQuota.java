package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * XFS's quota record, {@code struct fs_disk_quota} from {@code <linux/dqblk_xfs.h>}, as Q_XSETQLIM
 * takes and Q_XGETQUOTA returns it. Block figures count 512-byte basic blocks.
 *
 * @param fieldMask {@code FS_DQ_*}: which limits a Q_XSETQLIM sets
 */
record FsDiskQuota(int flags, int fieldMask, int id, long blockHardLimit, long blockSoftLimit,
                   long inodeHardLimit, long inodeSoftLimit, long blockCount, long inodeCount) {

    static final int FS_DQUOT_VERSION = 1;
    static final int FS_USER_QUOTA = 1, FS_PROJ_QUOTA = 2, FS_GROUP_QUOTA = 4;
    static final int FS_DQ_ISOFT = 1, FS_DQ_IHARD = 2, FS_DQ_BSOFT = 4, FS_DQ_BHARD = 8;
    static final long BASIC_BLOCK = 512;

    // __s8 d_version @0; __s8 d_flags @1; __u16 d_fieldmask @2; __u32 d_id @4; then __u64 limits
    // and counts from 8; 112 bytes in all.
    static final long SIZE = 112, VERSION = 0, FLAGS = 1, FIELDMASK = 2, ID = 4, BLK_HARDLIMIT = 8,
            BLK_SOFTLIMIT = 16, INO_HARDLIMIT = 24, INO_SOFTLIMIT = 32, BCOUNT = 40, ICOUNT = 48;

    /** A project's block limits, rounded up to basic blocks. */
    static FsDiskQuota projectBlockLimits(int projectId, long hardBytes, long softBytes) {
        return new FsDiskQuota(FS_PROJ_QUOTA, FS_DQ_BSOFT | FS_DQ_BHARD, projectId,
                blocks(hardBytes), blocks(softBytes), 0, 0, 0, 0);
    }

    private static long blocks(long bytes) {
        return (bytes + BASIC_BLOCK - 1) / BASIC_BLOCK;
    }

    MemorySegment encode(Arena arena) {
        MemorySegment s = arena.allocate(SIZE, 8);
        s.set(ValueLayout.JAVA_BYTE, VERSION, (byte) FS_DQUOT_VERSION);
        s.set(ValueLayout.JAVA_BYTE, FLAGS, (byte) flags);
        s.set(ValueLayout.JAVA_SHORT, FIELDMASK, (short) fieldMask);
        s.set(ValueLayout.JAVA_INT, ID, id);
        s.set(ValueLayout.JAVA_LONG, BLK_HARDLIMIT, blockHardLimit);
        s.set(ValueLayout.JAVA_LONG, BLK_SOFTLIMIT, blockSoftLimit);
        s.set(ValueLayout.JAVA_LONG, INO_HARDLIMIT, inodeHardLimit);
        s.set(ValueLayout.JAVA_LONG, INO_SOFTLIMIT, inodeSoftLimit);
        s.set(ValueLayout.JAVA_LONG, BCOUNT, blockCount);
        s.set(ValueLayout.JAVA_LONG, ICOUNT, inodeCount);
        return s;
    }

    static FsDiskQuota decode(MemorySegment s) {
        return new FsDiskQuota(s.get(ValueLayout.JAVA_BYTE, FLAGS),
                Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT, FIELDMASK)), s.get(ValueLayout.JAVA_INT, ID),
                s.get(ValueLayout.JAVA_LONG, BLK_HARDLIMIT), s.get(ValueLayout.JAVA_LONG, BLK_SOFTLIMIT),
                s.get(ValueLayout.JAVA_LONG, INO_HARDLIMIT), s.get(ValueLayout.JAVA_LONG, INO_SOFTLIMIT),
                s.get(ValueLayout.JAVA_LONG, BCOUNT), s.get(ValueLayout.JAVA_LONG, ICOUNT));
    }

    QuotaUsage usage() {
        return new QuotaUsage(blockCount * BASIC_BLOCK, blockHardLimit * BASIC_BLOCK,
                blockSoftLimit * BASIC_BLOCK, inodeCount);
    }
}
