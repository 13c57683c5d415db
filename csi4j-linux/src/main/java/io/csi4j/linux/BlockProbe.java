package io.csi4j.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells what a block device or image file holds by reading its first bytes, so that staging can
 * make a filesystem only on a blank volume and never format one that holds data. Plain positional
 * reads of the known signature areas, no blkid: the answer must not depend on a cache or on which
 * probes a blkid build has. Anything non-zero without a known signature counts as data.
 */
public final class BlockProbe {

    /** What a device holds. */
    public sealed interface Content {}

    /** The first 64 KiB and the btrfs superblock area are all zero: safe to format. */
    public record Blank() implements Content {}

    /** A filesystem (or swap) signature: {@code ext2}, {@code ext3}, {@code ext4}, {@code xfs}, {@code btrfs}, {@code swap}. */
    public record Filesystem(String type) implements Content {}

    /** Non-zero bytes without a known signature: the device holds data; {@code hint} says what was seen. */
    public record Unknown(String hint) implements Content {}

    static final int HEAD = 64 * 1024;
    // The btrfs superblock is 4 KiB at 64 KiB, its magic 0x40 into it.
    static final int BTRFS_SUPER = 64 * 1024, BTRFS_MAGIC_AT = BTRFS_SUPER + 0x40, BTRFS_SUPER_SIZE = 4096;
    // The ext2/3/4 superblock is at 1024; offsets of the fields read, from <ext2_fs.h>.
    static final int EXT_SUPER = 1024, EXT_MAGIC = 0x38, EXT_FEATURE_COMPAT = 0x5C, EXT_FEATURE_INCOMPAT = 0x60;
    static final int EXT_MAGIC_VALUE = 0xEF53;
    static final int COMPAT_HAS_JOURNAL = 0x4;
    static final int INCOMPAT_EXTENTS = 0x40, INCOMPAT_64BIT = 0x80, INCOMPAT_FLEX_BG = 0x200;
    private static final byte[] XFS_MAGIC = ascii("XFSB"), BTRFS_MAGIC = ascii("_BHRfS_M"),
            SWAP_MAGIC = ascii("SWAPSPACE2"), SWAP_MAGIC_OLD = ascii("SWAP-SPACE");
    // mkswap puts its magic in the last 10 bytes of the first page; it may have run with any of these.
    private static final int[] PAGE_SIZES = {4096, 8192, 16384, 65536};

    private BlockProbe() {}

    /** Reads {@code device} (a block device or an image file) and tells what it holds. */
    public static Content probe(Path device) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BTRFS_SUPER + BTRFS_SUPER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
                // positional reads until full or end of file
            }
        }
        return classify(buf.flip());
    }

    /** Classifies the bytes read from offset 0 (fewer than asked when the device is short). */
    static Content classify(ByteBuffer b) {
        int n = b.limit();
        if (has(b, 0, XFS_MAGIC)) {
            return new Filesystem("xfs");
        }
        if (has(b, BTRFS_MAGIC_AT, BTRFS_MAGIC)) {
            return new Filesystem("btrfs");
        }
        if (n >= EXT_SUPER + 0x64 && (b.getShort(EXT_SUPER + EXT_MAGIC) & 0xFFFF) == EXT_MAGIC_VALUE) {
            return new Filesystem(extType(b.getInt(EXT_SUPER + EXT_FEATURE_COMPAT), b.getInt(EXT_SUPER + EXT_FEATURE_INCOMPAT)));
        }
        for (int page : PAGE_SIZES) {
            if (has(b, page - 10, SWAP_MAGIC) || has(b, page - 10, SWAP_MAGIC_OLD)) {
                return new Filesystem("swap");
            }
        }
        for (int i = 0; i < n; i++) {
            if (b.get(i) != 0) {
                return new Unknown(hint(b, i));
            }
        }
        return new Blank();
    }

    /** ext4 if it uses a feature ext3 lacks, ext3 if it has a journal, else ext2 (as blkid decides). */
    static String extType(int compat, int incompat) {
        if ((incompat & (INCOMPAT_EXTENTS | INCOMPAT_64BIT | INCOMPAT_FLEX_BG)) != 0) {
            return "ext4";
        }
        return (compat & COMPAT_HAS_JOURNAL) != 0 ? "ext3" : "ext2";
    }

    private static String hint(ByteBuffer b, int firstNonZero) {
        if (has(b, 512, ascii("EFI PART"))) {
            return "GPT partition table";
        }
        if (b.limit() >= 512 && (b.getShort(510) & 0xFFFF) == 0xAA55) {
            return "MBR boot sector or partition table";
        }
        return "holds data: non-zero bytes from offset " + firstNonZero + ", no known signature";
    }

    private static boolean has(ByteBuffer b, int at, byte[] magic) {
        if (at + magic.length > b.limit()) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (b.get(at + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
