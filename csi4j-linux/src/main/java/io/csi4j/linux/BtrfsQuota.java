package io.csi4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Btrfs quota groups: switching quotas on, limiting what a subvolume may reference, and reading
 * its usage from the quota tree. Limits are enforced at write time with {@code EDQUOT}, even for root.
 */
public final class BtrfsQuota {

    static final long IOC_QUOTA_CTL = 0xC0109428L, // _IOWR(0x94, 40, struct btrfs_ioctl_quota_ctl_args)
            IOC_QGROUP_LIMIT = 0x8030942BL, // _IOR(0x94, 43, struct btrfs_ioctl_qgroup_limit_args)
            IOC_QUOTA_RESCAN_WAIT = 0x942EL, // _IO(0x94, 46)
            IOC_TREE_SEARCH = 0xD0009411L; // _IOWR(0x94, 17, struct btrfs_ioctl_search_args)

    static final long QUOTA_CTL_ENABLE = 1, QUOTA_CTL_DISABLE = 2;
    static final long QGROUP_LIMIT_MAX_RFER = 1;
    /** A limit of all ones clears it. */
    static final long CLEAR_LIMIT = -1L;

    // struct btrfs_ioctl_qgroup_limit_args { __u64 qgroupid; struct btrfs_qgroup_limit { __u64 flags,
    // max_rfer, max_excl, rsv_rfer, rsv_excl; } lim; }
    static final long LIMIT_ARGS_SIZE = 48, LIMIT_FLAGS = 8, LIMIT_MAX_RFER = 16;

    // struct btrfs_ioctl_search_args { struct btrfs_ioctl_search_key key (104 bytes); char buf[3992]; }
    static final long SEARCH_SIZE = 4096, KEY_TREE_ID = 0, KEY_MIN_OBJECTID = 8, KEY_MAX_OBJECTID = 16,
            KEY_MIN_OFFSET = 24, KEY_MAX_OFFSET = 32, KEY_MIN_TRANSID = 40, KEY_MAX_TRANSID = 48,
            KEY_MIN_TYPE = 56, KEY_MAX_TYPE = 60, KEY_NR_ITEMS = 64, SEARCH_BUF = 104;
    // struct btrfs_ioctl_search_header { __u64 transid, objectid, offset; __u32 type, len; }
    static final long HEADER_SIZE = 32, HEADER_OFFSET = 16, HEADER_TYPE = 24, HEADER_LEN = 28;
    static final long QUOTA_TREE_OBJECTID = 8;
    static final int QGROUP_INFO_KEY = 242, QGROUP_LIMIT_KEY = 244;
    // Items in the tree are little-endian and packed.
    private static final ValueLayout.OfLong LE64 =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BtrfsQuota() {}

    /** Switches quotas on for the filesystem holding {@code path}; a rescan of existing data follows. */
    public static void enable(Path path) throws SyscallException {
        quotaCtl(path, QUOTA_CTL_ENABLE);
    }

    public static void disable(Path path) throws SyscallException {
        quotaCtl(path, QUOTA_CTL_DISABLE);
    }

    /** Waits until the rescan started by {@link #enable} is done, so usage figures are whole. */
    public static void awaitRescan(Path path) throws SyscallException {
        try (Fd fd = Fd.open(path, Fd.O_RDONLY)) {
            fd.ioctl("BTRFS_IOC_QUOTA_RESCAN_WAIT", IOC_QUOTA_RESCAN_WAIT, 0L);
        }
    }

    /** Limits the data the subvolume at {@code subvolume} may reference to {@code bytes}. */
    public static void limitReferenced(Path subvolume, long bytes) throws SyscallException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + bytes);
        }
        setLimit(subvolume, bytes);
    }

    public static void removeLimit(Path subvolume) throws SyscallException {
        setLimit(subvolume, CLEAR_LIMIT);
    }

    private static void setLimit(Path subvolume, long maxReferenced) throws SyscallException {
        try (Fd fd = Fd.openDirectory(subvolume); Arena arena = Arena.ofConfined()) {
            // qgroupid 0: the kernel takes the subvolume the descriptor is in.
            MemorySegment args = arena.allocate(LIMIT_ARGS_SIZE, 8);
            args.set(ValueLayout.JAVA_LONG, LIMIT_FLAGS, QGROUP_LIMIT_MAX_RFER);
            args.set(ValueLayout.JAVA_LONG, LIMIT_MAX_RFER, maxReferenced);
            fd.ioctl("BTRFS_IOC_QGROUP_LIMIT", IOC_QGROUP_LIMIT, args);
        }
    }

    /**
     * The usage of the subvolume holding {@code path}, read from the quota tree (needs
     * CAP_SYS_ADMIN); {@code ENOENT} when quotas are off, or the subvolume has no qgroup.
     */
    public static QgroupUsage usage(Path path) throws SyscallException {
        long qgroup = Btrfs.subvolumeId(path);
        try (Fd fd = Fd.open(path, Fd.O_RDONLY)) {
            MemorySegment info = item(fd, QGROUP_INFO_KEY, qgroup).orElseThrow(
                    () -> new SyscallException("qgroup info of " + qgroup, path.toString(), SyscallException.ENOENT));
            // btrfs_qgroup_limit_item { flags, max_rfer, max_excl, rsv_rfer, rsv_excl }
            OptionalLong limit = item(fd, QGROUP_LIMIT_KEY, qgroup)
                    .filter(l -> (l.get(LE64, 0) & QGROUP_LIMIT_MAX_RFER) != 0)
                    .map(l -> OptionalLong.of(l.get(LE64, 8)))
                    .orElse(OptionalLong.empty());
            // btrfs_qgroup_info_item { generation, rfer, rfer_cmpr, excl, excl_cmpr }
            return new QgroupUsage(qgroup, info.get(LE64, 8), info.get(LE64, 24), limit);
        }
    }

    /** One quota tree item with key (0, type, qgroup), copied out of the search buffer. */
    private static Optional<MemorySegment> item(Fd fd, int type, long qgroup) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment args = arena.allocate(SEARCH_SIZE, 8);
            args.set(ValueLayout.JAVA_LONG, KEY_TREE_ID, QUOTA_TREE_OBJECTID);
            args.set(ValueLayout.JAVA_LONG, KEY_MIN_OBJECTID, 0);
            args.set(ValueLayout.JAVA_LONG, KEY_MAX_OBJECTID, 0);
            args.set(ValueLayout.JAVA_LONG, KEY_MIN_OFFSET, qgroup);
            args.set(ValueLayout.JAVA_LONG, KEY_MAX_OFFSET, qgroup);
            args.set(ValueLayout.JAVA_LONG, KEY_MIN_TRANSID, 0);
            args.set(ValueLayout.JAVA_LONG, KEY_MAX_TRANSID, -1L);
            args.set(ValueLayout.JAVA_INT, KEY_MIN_TYPE, type);
            args.set(ValueLayout.JAVA_INT, KEY_MAX_TYPE, type);
            args.set(ValueLayout.JAVA_INT, KEY_NR_ITEMS, 1);
            fd.ioctl("BTRFS_IOC_TREE_SEARCH", IOC_TREE_SEARCH, args);
            if (args.get(ValueLayout.JAVA_INT, KEY_NR_ITEMS) < 1) {
                return Optional.empty();
            }
            MemorySegment header = args.asSlice(SEARCH_BUF, HEADER_SIZE);
            if (header.get(ValueLayout.JAVA_INT, HEADER_TYPE) != type
                    || header.get(ValueLayout.JAVA_LONG, HEADER_OFFSET) != qgroup) {
                return Optional.empty();
            }
            int length = header.get(ValueLayout.JAVA_INT, HEADER_LEN);
            MemorySegment copy = MemorySegment.ofArray(new byte[length]);
            copy.copyFrom(args.asSlice(SEARCH_BUF + HEADER_SIZE, length));
            return Optional.of(copy);
        }
    }

    private static void quotaCtl(Path path, long command) throws SyscallException {
        try (Fd fd = Fd.open(path, Fd.O_RDONLY); Arena arena = Arena.ofConfined()) {
            // struct btrfs_ioctl_quota_ctl_args { __u64 cmd; __u64 status; }
            MemorySegment args = arena.allocate(16, 8);
            args.set(ValueLayout.JAVA_LONG, 0, command);
            fd.ioctl("BTRFS_IOC_QUOTA_CTL", IOC_QUOTA_CTL, args);
        }
    }
}
