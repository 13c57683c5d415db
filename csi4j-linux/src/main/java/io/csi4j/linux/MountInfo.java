package io.csi4j.linux;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One line of {@code /proc/self/mountinfo} (see proc(5)). Paths and the source are unescaped;
 * the two option lists are kept as the kernel prints them, since a value inside them may hold an
 * escaped comma; {@link #superOption} unescapes the value it returns.
 *
 * @param mountId        unique ID of the mount (reused after unmount)
 * @param parentId       the mount this one sits on (itself for the namespace root)
 * @param major          device major number ({@code st_dev} of files on this filesystem)
 * @param minor          device minor number
 * @param root           the directory of the filesystem mounted here ({@code /} unless a bind of a subtree)
 * @param mountPoint     where it is mounted, relative to the process's root
 * @param options        per-mount options ({@code rw,nosuid,relatime})
 * @param optionalFields propagation tags such as {@code shared:1}, {@code master:2}, {@code unbindable}
 * @param fsType         filesystem type, with subtype if any ({@code fuse.sshfs})
 * @param source         filesystem-specific source ({@code /dev/loop3}, {@code server:/export}, {@code none})
 * @param superOptions   per-superblock options ({@code rw,prjquota})
 */
public record MountInfo(int mountId, int parentId, int major, int minor, String root, Path mountPoint,
                        String options, List<String> optionalFields, String fsType, String source,
                        String superOptions) {

    public boolean readOnly() {
        return hasOption(options, "ro");
    }

    /** Whether the per-mount options hold {@code name} exactly ({@code nosuid}). */
    public boolean hasOption(String name) {
        return hasOption(options, name);
    }

    /** Whether the superblock options hold {@code name} exactly, or as {@code name=value}. */
    public boolean hasSuperOption(String name) {
        return superOption(name).isPresent();
    }

    /** The value of a superblock option ({@code ""} for a flag without value), if present. */
    public Optional<String> superOption(String name) {
        for (int at = 0, n = superOptions.length(); at <= n; ) {
            int end = superOptions.indexOf(',', at);
            if (end < 0) {
                end = n;
            }
            if (superOptions.startsWith(name, at)) {
                int after = at + name.length();
                if (after == end) {
                    return Optional.of("");
                }
                if (superOptions.charAt(after) == '=') {
                    return Optional.of(MountTable.unescape(superOptions, after + 1, end));
                }
            }
            at = end + 1;
        }
        return Optional.empty();
    }

    /** The device as {@code major:minor}. */
    public String device() {
        return major + ":" + minor;
    }

    private static boolean hasOption(String list, String name) {
        for (int at = 0, n = list.length(); at <= n; ) {
            int end = list.indexOf(',', at);
            if (end < 0) {
                end = n;
            }
            if (end - at == name.length() && list.startsWith(name, at)) {
                return true;
            }
            at = end + 1;
        }
        return false;
    }
}
