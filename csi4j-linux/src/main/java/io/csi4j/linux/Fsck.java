package io.csi4j.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Checks a filesystem before it is mounted, so that a volume left dirty by a crashed node is
 * repaired (ext4) or reported (xfs) rather than mounted blind. ext2/3/4 run {@code e2fsck -p},
 * which fixes what is safe to fix without a person; xfs runs {@code xfs_repair -n}, which only
 * looks, because xfs replays its own log at mount and repairing is an operator's decision.
 */
public final class Fsck {

    /** What the check found. */
    public sealed interface Outcome {
        /** The tool's exit code. */
        int exitCode();
    }

    /** Nothing wrong. */
    public record Clean(int exitCode) implements Outcome {}

    /** Errors were found and fixed; with {@code rebootAdvised}, e2fsck asked for a reboot (a mounted root). */
    public record Corrected(int exitCode, boolean rebootAdvised, String output) implements Outcome {}

    /** Errors were found and left: do not mount read-write; {@code output} says what. */
    public record Uncorrected(int exitCode, String output) implements Outcome {}

    // e2fsck(8) exit codes, a bit mask.
    static final int E2_CORRECTED = 1, E2_REBOOT = 2, E2_UNCORRECTED = 4;

    private Fsck() {}

    /** Checks the {@code fsType} filesystem on {@code device}, which must not be mounted. */
    public static Outcome check(Path device, String fsType) throws IOException {
        return check(device, fsType, Duration.ofMinutes(5));
    }

    /**
     * Checks with a timeout. A code that means the tool itself failed (e2fsck 8 and up, xfs_repair
     * other than 0 or 1) is a FAILED {@link ToolException}, not an outcome.
     */
    public static Outcome check(Path device, String fsType, Duration timeout) throws IOException {
        return check(device, fsType, timeout, false);
    }

    /**
     * Checks even a filesystem marked clean ({@code e2fsck -f}): what resize2fs insists on before
     * growing an unmounted ext filesystem.
     */
    public static Outcome checkFully(Path device, String fsType) throws IOException {
        return check(device, fsType, Duration.ofMinutes(5), true);
    }

    private static Outcome check(Path device, String fsType, Duration timeout, boolean force) throws IOException {
        return switch (fsType) {
            case "ext2", "ext3", "ext4" -> {
                List<String> argv = new java.util.ArrayList<>(List.of(Tool.locate("e2fsck", Tool.SEARCH_DIRS).toString(), "-p"));
                if (force) {
                    argv.add("-f");
                }
                argv.add(device.toString());
                Tool.Result r = Tool.run(argv, timeout);
                yield e2fsck(r);
            }
            case "xfs" -> {
                Tool.Result r = Tool.run(List.of(Tool.locate("xfs_repair", Tool.SEARCH_DIRS).toString(), "-n", device.toString()), timeout);
                yield xfsRepair(r);
            }
            default -> throw new IllegalArgumentException("cannot check filesystem type " + fsType + " (ext2, ext3, ext4 or xfs)");
        };
    }

    /** Maps e2fsck's exit code per e2fsck(8): 0 clean, 1 corrected, 2 corrected and reboot, 4 uncorrected, 8+ failed. */
    static Outcome e2fsck(Tool.Result r) throws ToolException {
        int code = r.exitCode();
        if (code < 0 || code >= 8) {
            throw ToolException.failed("e2fsck", r);
        }
        if ((code & E2_UNCORRECTED) != 0) {
            return new Uncorrected(code, r.output());
        }
        if ((code & (E2_CORRECTED | E2_REBOOT)) != 0) {
            return new Corrected(code, (code & E2_REBOOT) != 0, r.output());
        }
        return new Clean(code);
    }

    /** Maps {@code xfs_repair -n}'s exit code: 0 clean, 1 corruption found (and, with -n, left). */
    static Outcome xfsRepair(Tool.Result r) throws ToolException {
        return switch (r.exitCode()) {
            case 0 -> new Clean(0);
            case 1 -> new Uncorrected(1, r.output());
            default -> throw ToolException.failed("xfs_repair", r);
        };
    }
}
