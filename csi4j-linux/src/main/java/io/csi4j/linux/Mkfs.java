package io.csi4j.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes an ext4 or xfs filesystem by running mkfs. It overwrites whatever is there (the tools are
 * forced, as they must be for image files and no prompt can be answered), so callers decide with
 * {@link BlockProbe} first and call this only on a {@link BlockProbe.Blank} device.
 */
public final class Mkfs {

    private static final int EXT4_LABEL_MAX = 16, XFS_LABEL_MAX = 12;

    private static final java.util.Set<String> TYPES = java.util.Set.of("ext4", "xfs");

    private Mkfs() {}

    /**
     * Why a {@code fsType} filesystem cannot be made on this machine, if it cannot: a type we do
     * not make, or its mkfs tool missing.
     */
    public static java.util.Optional<String> unavailable(String fsType) {
        if (!TYPES.contains(fsType)) {
            return java.util.Optional.of("filesystem type '" + fsType + "' is not supported; use ext4 or xfs");
        }
        try {
            Tool.locate("mkfs." + fsType, Tool.SEARCH_DIRS);
            return java.util.Optional.empty();
        } catch (ToolException e) {
            return java.util.Optional.of("filesystem type " + fsType + " cannot be made on this node: mkfs." + fsType
                    + " is not installed");
        }
    }

    /** Makes a {@code fsType} ({@code ext4} or {@code xfs}) filesystem on {@code device}. */
    public static void make(Path device, String fsType, MkfsOptions options) throws IOException {
        make(device, fsType, options, Tool.SEARCH_DIRS);
    }

    static void make(Path device, String fsType, MkfsOptions options, List<Path> searchDirs) throws IOException {
        String name = "mkfs." + fsType;
        List<String> argv = new ArrayList<>();
        switch (fsType) {
            case "ext4" -> {
                checkLabel(options.label(), EXT4_LABEL_MAX);
                argv.add(Tool.locate(name, searchDirs).toString());
                // -F: proceed on an image file or a whole device without asking.
                // -m 0: no blocks reserved for root; on a data volume they only hide 5% of what was asked for.
                // lazy_itable_init=1: leave zeroing the inode tables to the kernel after mount, so mkfs
                // takes seconds whatever the size. The journal is still zeroed (bounded, and a stale
                // journal on a reused device must not be replayed).
                argv.addAll(List.of("-q", "-F", "-m", "0", "-E", "lazy_itable_init=1"));
                if (options.label() != null) {
                    argv.addAll(List.of("-L", options.label()));
                }
                if (options.uuid() != null) {
                    argv.addAll(List.of("-U", options.uuid().toString()));
                }
            }
            case "xfs" -> {
                checkLabel(options.label(), XFS_LABEL_MAX);
                argv.add(Tool.locate(name, searchDirs).toString());
                // -f: overwrite without asking, as -F for ext4. mkfs.xfs discards and does not
                // zero inode tables up front anyway, so its defaults are already fast.
                argv.addAll(List.of("-q", "-f"));
                if (options.label() != null) {
                    argv.addAll(List.of("-L", options.label()));
                }
                if (options.uuid() != null) {
                    argv.addAll(List.of("-m", "uuid=" + options.uuid()));
                }
            }
            default -> throw new IllegalArgumentException("cannot make filesystem type " + fsType + " (ext4 or xfs)");
        }
        argv.add(device.toString());
        Tool.Result r = Tool.run(argv, options.timeout());
        if (r.exitCode() != 0) {
            throw ToolException.failed(name, r);
        }
    }

    private static void checkLabel(String label, int max) {
        // the tools truncate a long label with only a warning; refuse it instead
        if (label != null && (label.isEmpty() || label.getBytes(StandardCharsets.UTF_8).length > max)) {
            throw new IllegalArgumentException("label must be 1 to " + max + " bytes: " + label);
        }
    }
}
