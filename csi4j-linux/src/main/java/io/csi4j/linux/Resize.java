package io.csi4j.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Grows a filesystem to fill its grown device. No system call does this for ext4 or xfs (ext4's
 * EXT4_IOC_RESIZE_FS needs the new layout worked out by the caller, which is what resize2fs
 * does), so it runs the filesystem's tool: {@code resize2fs}, online when mounted, or
 * {@code xfs_growfs}, which works only on a mounted xfs.
 */
public final class Resize {

    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private Resize() {}

    /**
     * Grows the {@code fsType} filesystem on {@code device} to the device's size. xfs needs its
     * {@code mountPoint}; ext2/3/4 use it not (an unmounted ext4 must have been checked with
     * {@code e2fsck -f} first, or resize2fs refuses).
     */
    public static void growFilesystem(Path device, String fsType, Path mountPoint) throws IOException {
        growFilesystem(device, fsType, mountPoint, DEFAULT_TIMEOUT);
    }

    public static void growFilesystem(Path device, String fsType, Path mountPoint, Duration timeout)
            throws IOException {
        List<String> argv = argv(device, fsType, mountPoint, Tool.SEARCH_DIRS);
        String tool = Path.of(argv.getFirst()).getFileName().toString();
        Tool.Result r = Tool.run(argv, timeout);
        if (r.exitCode() != 0) {
            throw ToolException.failed(tool, r);
        }
    }

    static List<String> argv(Path device, String fsType, Path mountPoint, List<Path> searchDirs) throws ToolException {
        return switch (fsType) {
            case "ext2", "ext3", "ext4" -> List.of(Tool.locate("resize2fs", searchDirs).toString(), device.toString());
            case "xfs" -> {
                if (mountPoint == null) {
                    throw new IllegalArgumentException("xfs grows only while mounted: a mount point is needed");
                }
                yield List.of(Tool.locate("xfs_growfs", searchDirs).toString(), mountPoint.toString());
            }
            default -> throw new IllegalArgumentException("cannot grow filesystem type " + fsType + " (ext2, ext3, ext4 or xfs)");
        };
    }
}
