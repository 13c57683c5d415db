package io.csi4j.linux;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Mount options as an administrator writes them ({@code noatime}, {@code ro},
 * {@code data=ordered}), split the way mount(8) splits them: the generic ones become
 * {@code MS_*} flags, the rest go to the filesystem as its data string. Options that would
 * change what kind of mount is made (bind, move, remount, propagation) are refused.
 *
 * @param flags the {@code MS_*} flags to set
 * @param data  the filesystem's own options, comma-separated, or "" for none
 */
public record MountOptions(Set<MountFlag> flags, String data) {

    /** Generic options and the flag each sets; {@code null} marks options that clear a flag or do nothing. */
    private static final Map<String, MountFlag> SETS = Map.ofEntries(
            Map.entry("ro", MountFlag.RDONLY), Map.entry("nosuid", MountFlag.NOSUID),
            Map.entry("nodev", MountFlag.NODEV), Map.entry("noexec", MountFlag.NOEXEC),
            Map.entry("sync", MountFlag.SYNCHRONOUS), Map.entry("dirsync", MountFlag.DIRSYNC),
            Map.entry("noatime", MountFlag.NOATIME), Map.entry("nodiratime", MountFlag.NODIRATIME),
            Map.entry("relatime", MountFlag.RELATIME), Map.entry("strictatime", MountFlag.STRICTATIME),
            Map.entry("lazytime", MountFlag.LAZYTIME), Map.entry("silent", MountFlag.SILENT));
    private static final Map<String, MountFlag> CLEARS = Map.ofEntries(
            Map.entry("rw", MountFlag.RDONLY), Map.entry("suid", MountFlag.NOSUID),
            Map.entry("dev", MountFlag.NODEV), Map.entry("exec", MountFlag.NOEXEC),
            Map.entry("async", MountFlag.SYNCHRONOUS), Map.entry("atime", MountFlag.NOATIME),
            Map.entry("diratime", MountFlag.NODIRATIME), Map.entry("norelatime", MountFlag.RELATIME),
            Map.entry("nostrictatime", MountFlag.STRICTATIME), Map.entry("nolazytime", MountFlag.LAZYTIME),
            Map.entry("loud", MountFlag.SILENT));
    private static final Set<String> IGNORED = Set.of("defaults", "auto", "noauto", "user", "nouser", "_netdev", "nofail");
    private static final Set<String> REFUSED = Set.of("bind", "rbind", "move", "remount", "shared", "rshared",
            "private", "rprivate", "slave", "rslave", "unbindable", "runbindable", "loop");

    public MountOptions {
        flags = Set.copyOf(flags);
        Objects.requireNonNull(data, "data");
    }

    public static MountOptions none() {
        return new MountOptions(Set.of(), "");
    }

    /**
     * Parses options, each of which may itself hold several separated by commas.
     *
     * @throws IllegalArgumentException for an empty, malformed or refused option; the message
     *                                  names it
     */
    public static MountOptions parse(List<String> options) {
        EnumSet<MountFlag> flags = EnumSet.noneOf(MountFlag.class);
        List<String> data = new ArrayList<>();
        for (String option : options) {
            for (String one : option.split(",", -1)) {
                String name = one.strip();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty mount option in '" + option + "'");
                }
                if (name.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
                    throw new IllegalArgumentException("mount option '" + name.replaceAll("\\p{Cntrl}", "?")
                            + "' contains spaces or control characters");
                }
                if (REFUSED.contains(name)) {
                    throw new IllegalArgumentException("mount option '" + name + "' is not allowed: the driver "
                            + "decides how volumes are mounted");
                }
                if (SETS.containsKey(name)) {
                    flags.add(SETS.get(name));
                    if (name.endsWith("atime") && !name.equals("nodiratime")) {
                        clearOtherAtimes(flags, SETS.get(name));
                    }
                } else if (CLEARS.containsKey(name)) {
                    flags.remove(CLEARS.get(name));
                } else if (!IGNORED.contains(name)) {
                    data.add(name);
                }
            }
        }
        return new MountOptions(flags, String.join(",", data));
    }

    /** The atime modes exclude each other: the last one given wins, as with mount(8). */
    private static void clearOtherAtimes(EnumSet<MountFlag> flags, MountFlag kept) {
        for (MountFlag f : List.of(MountFlag.NOATIME, MountFlag.RELATIME, MountFlag.STRICTATIME)) {
            if (f != kept) {
                flags.remove(f);
            }
        }
    }

    public boolean readOnly() {
        return flags.contains(MountFlag.RDONLY);
    }

    /** These options with read-only added or left as they are. */
    public MountOptions withReadOnly(boolean readOnly) {
        if (!readOnly || readOnly()) {
            return this;
        }
        EnumSet<MountFlag> more = flags.isEmpty() ? EnumSet.noneOf(MountFlag.class) : EnumSet.copyOf(flags);
        more.add(MountFlag.RDONLY);
        return new MountOptions(more, data);
    }

    /** The flags a bind mount can carry (a bind cannot take filesystem options). */
    public Set<MountFlag> perMountFlags() {
        EnumSet<MountFlag> kept = EnumSet.noneOf(MountFlag.class);
        for (MountFlag f : flags) {
            if (MountFlag.PER_MOUNT.contains(f)) {
                kept.add(f);
            }
        }
        return kept;
    }
}
