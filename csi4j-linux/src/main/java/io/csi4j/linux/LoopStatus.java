package io.csi4j.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * What LOOP_GET_STATUS64 says about an attached loop device ({@code struct loop_info64}).
 *
 * @param backingDevice the {@code st_dev} of the image file
 * @param backingInode  the inode of the image file
 * @param offset        where in the image the device starts
 * @param sizeLimit     the most of the image the device shows, 0 for all of it
 * @param number        N of /dev/loopN
 * @param flags         the {@code LO_FLAGS_*} the kernel applied
 * @param fileName      the image's name as given at attach time, cut at 63 bytes
 */
public record LoopStatus(long backingDevice, long backingInode, long offset, long sizeLimit, int number,
                         int flags, String fileName) {

    static final int LO_FLAGS_READ_ONLY = 1, LO_FLAGS_AUTOCLEAR = 4, LO_FLAGS_PARTSCAN = 8, LO_FLAGS_DIRECT_IO = 16;

    // struct loop_info64, from <linux/loop.h>: 232 bytes.
    static final long SIZE = 232;
    static final long LO_DEVICE = 0, LO_INODE = 8, LO_RDEVICE = 16, LO_OFFSET = 24, LO_SIZELIMIT = 32,
            LO_NUMBER = 40, LO_FLAGS = 52, LO_FILE_NAME = 56;
    static final int LO_NAME_SIZE = 64;

    static LoopStatus decode(MemorySegment info) {
        byte[] name = info.asSlice(LO_FILE_NAME, LO_NAME_SIZE).toArray(ValueLayout.JAVA_BYTE);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new LoopStatus(
                info.get(ValueLayout.JAVA_LONG, LO_DEVICE),
                info.get(ValueLayout.JAVA_LONG, LO_INODE),
                info.get(ValueLayout.JAVA_LONG, LO_OFFSET),
                info.get(ValueLayout.JAVA_LONG, LO_SIZELIMIT),
                info.get(ValueLayout.JAVA_INT, LO_NUMBER),
                info.get(ValueLayout.JAVA_INT, LO_FLAGS),
                new String(name, 0, length, StandardCharsets.UTF_8));
    }

    public boolean readOnly() {
        return (flags & LO_FLAGS_READ_ONLY) != 0;
    }

    public boolean autoclear() {
        return (flags & LO_FLAGS_AUTOCLEAR) != 0;
    }

    public boolean partscan() {
        return (flags & LO_FLAGS_PARTSCAN) != 0;
    }

    /** Whether the kernel really does direct I/O on the image (it may have dropped the request). */
    public boolean directIo() {
        return (flags & LO_FLAGS_DIRECT_IO) != 0;
    }
}
