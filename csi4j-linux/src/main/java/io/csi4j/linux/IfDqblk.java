package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The generic quota record, {@code struct if_dqblk} from {@code <linux/quota.h>}, as Q_SETQUOTA
 * takes and Q_GETQUOTA returns it (ext4 and other VFS-quota filesystems). Block limits count
 * 1 KiB blocks ({@code QIF_DQBLKSIZE}); current space counts bytes.
 *
 * @param valid {@code QIF_*}: which fields a Q_SETQUOTA sets
 */
record IfDqblk(long blockHardLimit, long blockSoftLimit, long currentSpace, long inodeHardLimit,
               long inodeSoftLimit, long currentInodes, long blockGraceEnd, long inodeGraceEnd, int valid) {

    static final int QIF_BLIMITS = 1, QIF_SPACE = 2, QIF_ILIMITS = 4, QIF_INODES = 8;
    static final long QIF_DQBLKSIZE = 1024;

    static final long SIZE = 72, BHARDLIMIT = 0, BSOFTLIMIT = 8, CURSPACE = 16, IHARDLIMIT = 24,
            ISOFTLIMIT = 32, CURINODES = 40, BTIME = 48, ITIME = 56, VALID = 64;

    /** Block limits only, rounded up to 1 KiB blocks. */
    static IfDqblk blockLimits(long hardBytes, long softBytes) {
        return new IfDqblk(blocks(hardBytes), blocks(softBytes), 0, 0, 0, 0, 0, 0, QIF_BLIMITS);
    }

    private static long blocks(long bytes) {
        return (bytes + QIF_DQBLKSIZE - 1) / QIF_DQBLKSIZE;
    }

    MemorySegment encode(Arena arena) {
        MemorySegment s = arena.allocate(SIZE, 8);
        s.set(ValueLayout.JAVA_LONG, BHARDLIMIT, blockHardLimit);
        s.set(ValueLayout.JAVA_LONG, BSOFTLIMIT, blockSoftLimit);
        s.set(ValueLayout.JAVA_LONG, CURSPACE, currentSpace);
        s.set(ValueLayout.JAVA_LONG, IHARDLIMIT, inodeHardLimit);
        s.set(ValueLayout.JAVA_LONG, ISOFTLIMIT, inodeSoftLimit);
        s.set(ValueLayout.JAVA_LONG, CURINODES, currentInodes);
        s.set(ValueLayout.JAVA_LONG, BTIME, blockGraceEnd);
        s.set(ValueLayout.JAVA_LONG, ITIME, inodeGraceEnd);
        s.set(ValueLayout.JAVA_INT, VALID, valid);
        return s;
    }

    static IfDqblk decode(MemorySegment s) {
        return new IfDqblk(s.get(ValueLayout.JAVA_LONG, BHARDLIMIT), s.get(ValueLayout.JAVA_LONG, BSOFTLIMIT),
                s.get(ValueLayout.JAVA_LONG, CURSPACE), s.get(ValueLayout.JAVA_LONG, IHARDLIMIT),
                s.get(ValueLayout.JAVA_LONG, ISOFTLIMIT), s.get(ValueLayout.JAVA_LONG, CURINODES),
                s.get(ValueLayout.JAVA_LONG, BTIME), s.get(ValueLayout.JAVA_LONG, ITIME),
                s.get(ValueLayout.JAVA_INT, VALID));
    }

    QuotaUsage usage() {
        return new QuotaUsage(currentSpace, blockHardLimit * QIF_DQBLKSIZE, blockSoftLimit * QIF_DQBLKSIZE,
                currentInodes);
    }
}
