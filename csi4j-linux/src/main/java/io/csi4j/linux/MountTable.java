package io.csi4j.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mounts a process sees, read from {@code /proc/self/mountinfo}: which paths are mount
 * points, what is mounted there, and what lies below a directory. A snapshot: read it again
 * after mounting or unmounting.
 *
 * <p>Paths are compared as given (absolute, normalized) and never resolved: the kernel prints
 * symlink-free paths, and resolving a path below a dead network mount could hang.
 */
public final class MountTable {

    private static final Path SELF = Path.of("/proc/self/mountinfo");

    private final List<MountInfo> mounts;

    private MountTable(List<MountInfo> mounts) {
        this.mounts = List.copyOf(mounts);
    }

    /** The current process's mounts. */
    public static MountTable read() throws IOException {
        return read(SELF);
    }

    public static MountTable read(Path mountinfo) throws IOException {
        // Mount points may hold any bytes; invalid UTF-8 is replaced rather than failing the whole table.
        return parse(new String(Files.readAllBytes(mountinfo), StandardCharsets.UTF_8));
    }

    /** Parses the text of a mountinfo file; blank lines are skipped. */
    public static MountTable parse(String text) {
        List<MountInfo> mounts = new ArrayList<>();
        for (int at = 0, n = text.length(); at < n; ) {
            int end = text.indexOf('\n', at);
            if (end < 0) {
                end = n;
            }
            if (end > at) {
                mounts.add(parseLine(text, at, end));
            }
            at = end + 1;
        }
        return new MountTable(mounts);
    }

    /** Parses one line (without its newline). */
    public static MountInfo parseLine(String line) {
        return parseLine(line, 0, line.length());
    }

    private static MountInfo parseLine(String s, int begin, int end) {
        try {
            int a = begin, b = field(s, a, end);
            int mountId = Integer.parseInt(s, a, b, 10);
            a = b + 1;
            b = field(s, a, end);
            int parentId = Integer.parseInt(s, a, b, 10);
            a = b + 1;
            b = field(s, a, end);
            int colon = s.indexOf(':', a, b);
            if (colon < 0 || colon > b) {
                throw new IllegalArgumentException("no major:minor");
            }
            int major = Integer.parseInt(s, a, colon, 10), minor = Integer.parseInt(s, colon + 1, b, 10);
            a = b + 1;
            b = field(s, a, end);
            String root = unescape(s, a, b);
            a = b + 1;
            b = field(s, a, end);
            Path mountPoint = Path.of(unescape(s, a, b));
            a = b + 1;
            b = field(s, a, end);
            String options = s.substring(a, b);
            // Zero or more optional fields, ended by a lone "-".
            List<String> optional = List.of();
            while (true) {
                a = b + 1;
                b = field(s, a, end);
                if (b - a == 1 && s.charAt(a) == '-') {
                    break;
                }
                if (optional.isEmpty()) {
                    optional = new ArrayList<>(2);
                }
                optional.add(s.substring(a, b));
            }
            a = b + 1;
            b = field(s, a, end);
            String fsType = unescape(s, a, b);
            a = b + 1;
            b = field(s, a, end);
            String source = unescape(s, a, b);
            // The super options run to the end of the line (no field follows them).
            String superOptions = b < end ? s.substring(b + 1, end) : "";
            return new MountInfo(mountId, parentId, major, minor, root, mountPoint, options,
                    optional.isEmpty() ? optional : List.copyOf(optional), fsType, source, superOptions);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a mountinfo line: " + s.substring(begin, end), e);
        }
    }

    /** The end of the space-separated field starting at {@code from}; fails if there is none. */
    private static int field(String s, int from, int end) {
        if (from > end) {
            throw new IllegalArgumentException("too few fields");
        }
        int space = s.indexOf(' ', from, end);
        return space < 0 ? end : space;
    }

    /** Undoes the kernel's octal escapes ({@code \040} for a space, {@code \134} for a backslash). */
    static String unescape(String s, int begin, int end) {
        // Bounded searches throughout: an unbounded one would scan the rest of the whole table.
        int slash = s.indexOf('\\', begin, end);
        if (slash < 0) {
            return s.substring(begin, end);
        }
        StringBuilder out = new StringBuilder(end - begin);
        out.append(s, begin, slash);
        for (int i = slash; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < end && octal(s, i + 1) && octal(s, i + 2) && octal(s, i + 3)) {
                out.append((char) ((s.charAt(i + 1) - '0') * 64 + (s.charAt(i + 2) - '0') * 8 + (s.charAt(i + 3) - '0')));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean octal(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '7';
    }

    /** Every mount, in the kernel's order. */
    public List<MountInfo> mounts() {
        return mounts;
    }

    /** What is mounted at {@code mountPoint}; with mounts stacked there, the topmost (the one visible). */
    public Optional<MountInfo> find(Path mountPoint) {
        Path p = mountPoint.toAbsolutePath().normalize();
        List<MountInfo> here = new ArrayList<>(1);
        for (MountInfo m : mounts) {
            if (m.mountPoint().equals(p)) {
                here.add(m);
            }
        }
        return topmost(here);
    }

    /**
     * The mount with this ID: the first field of a mountinfo line, which is also what statx's
     * {@code STATX_MNT_ID} reports ({@link PathHandle#mountId()}, {@link FileStat#mountId()}).
     */
    public Optional<MountInfo> byId(long mountId) {
        for (MountInfo m : mounts) {
            if (m.mountId() == mountId) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public boolean isMountPoint(Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (MountInfo m : mounts) {
            if (m.mountPoint().equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** The mounts at or below {@code dir}, in the kernel's order (parents before children). */
    public List<MountInfo> under(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        List<MountInfo> found = new ArrayList<>();
        for (MountInfo m : mounts) {
            if (m.mountPoint().startsWith(p)) {
                found.add(m);
            }
        }
        return found;
    }

    /** The visible mount that holds {@code path}: the one with the longest mount point above it. */
    public Optional<MountInfo> containing(Path path) {
        Path p = path.toAbsolutePath().normalize();
        List<MountInfo> best = new ArrayList<>(1);
        int depth = -1;
        for (MountInfo m : mounts) {
            if (p.startsWith(m.mountPoint())) {
                int d = m.mountPoint().getNameCount();
                if (d > depth) {
                    best.clear();
                    depth = d;
                }
                if (d == depth) {
                    best.add(m);
                }
            }
        }
        return topmost(best);
    }

    /** Of mounts stacked on one point, the one no other sits on. */
    private static Optional<MountInfo> topmost(List<MountInfo> stacked) {
        for (MountInfo candidate : stacked) {
            boolean covered = false;
            for (MountInfo other : stacked) {
                covered |= other != candidate && other.parentId() == candidate.mountId();
            }
            if (!covered) {
                return Optional.of(candidate);
            }
        }
        return stacked.isEmpty() ? Optional.empty() : Optional.of(stacked.getLast());
    }
}
