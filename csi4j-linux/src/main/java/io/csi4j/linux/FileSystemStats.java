package io.csi4j.linux;

/**
 * What statfs(2) says about the filesystem holding a path: sizes in bytes, inode counts, and
 * whether it is mounted read-only.
 *
 * @param blockSize      the fundamental block size ({@code f_frsize}, or {@code f_bsize})
 * @param totalBytes     the filesystem's size
 * @param freeBytes      free space, including what only root may use
 * @param availableBytes free space an unprivileged writer may use
 */
public record FileSystemStats(long type, long blockSize, long totalBytes, long freeBytes, long availableBytes,
                              long totalInodes, long freeInodes, boolean readOnly) {

    public long usedBytes() {
        return totalBytes - freeBytes;
    }

    public long usedInodes() {
        return totalInodes - freeInodes;
    }
}
