package io.csi4j.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A directory or file pinned by an {@code O_PATH} descriptor that was reached without following
 * any symbolic link: openat2(2) with {@code RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS}, so a
 * link in any component fails with {@code ELOOP}. Whatever happens to the path afterwards (a
 * rename, a symlink swapped in), the handle keeps naming the object that was checked, and the
 * calls made through it ({@link Mount}'s handle forms, {@link #removeDirectory}) act on that
 * object: the check and the use cannot be told apart by a race.
 *
 * <p>Opening never touches the network on NFS: {@code O_PATH} carries no open intent, so the
 * client does not revalidate, and {@link #stat} asks with {@code AT_STATX_DONT_SYNC}.
 */
public final class PathHandle implements AutoCloseable {

    /** What a handle (or a directory entry) is. */
    public enum Kind { DIRECTORY, REGULAR_FILE, BLOCK_DEVICE, SYMBOLIC_LINK, OTHER }

    // <fcntl.h>, <linux/openat2.h>, <linux/stat.h>: x86_64 and aarch64 agree on all of them.
    static final int O_WRONLY = 01, O_CREAT = 0100, O_EXCL = 0200, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000,
            O_PATH = 010000000;
    static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;
    static final long SYS_OPENAT2 = 437, OPEN_HOW_SIZE = 24;
    static final int AT_FDCWD = -100, AT_REMOVEDIR = 0x200, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000,
            AT_STATX_DONT_SYNC = 0x4000;
    static final long STATX_ATTR_MOUNT_ROOT = 0x2000, ATTRIBUTES = 8;
    private static final int RETRIES = 8;

    private final int fd;
    private final Path path;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PathHandle(int fd, Path path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * The existing {@code path} (absolute); {@code ELOOP} when a component is a symbolic link,
     * {@code ENOENT} when something is missing.
     */
    public static PathHandle open(Path path) throws SyscallException {
        checkAbsolute(path);
        return new PathHandle(openat2(AT_FDCWD, path.toString(), O_PATH, 0,
                RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, path), path);
    }

    /**
     * {@code path}, made a directory with {@code mode} first if nothing is there; the parent must
     * exist ({@code ENOENT} otherwise). Whatever is there already is returned as it is (a file
     * included): the caller says what it accepts.
     */
    public static PathHandle openOrMakeDirectory(Path path, int mode) throws SyscallException {
        Path parent = checkAbsolute(path).getParent();
        if (parent == null) {
            return open(path);
        }
        try (PathHandle dir = open(parent)) {
            return dir.childOrMakeDirectory(path.getFileName().toString(), mode);
        }
    }

    /**
     * As {@link #openOrMakeDirectory}, making the missing ancestors too, each one below the handle
     * of the one above it: no component is ever reached through a link.
     */
    public static PathHandle openOrMakeDirectories(Path path, int mode) throws SyscallException {
        checkAbsolute(path);
        PathHandle at = open(path.getRoot());
        for (Path name : path) {
            try (PathHandle parent = at) {
                at = parent.childOrMakeDirectory(name.toString(), mode);
            }
        }
        return at;
    }

    /**
     * {@code path}, made an empty regular file with {@code mode} if nothing is there (a raw block
     * volume's target); whatever is there already is returned as it is.
     */
    public static PathHandle openOrMakeFile(Path path, int mode) throws SyscallException {
        Path parent = checkAbsolute(path).getParent();
        if (parent == null) {
            return open(path);
        }
        try (PathHandle dir = open(parent)) {
            return dir.childOrMakeFile(path.getFileName().toString(), mode);
        }
    }

    /** The existing entry {@code name} of this directory, reached without a link. */
    public PathHandle child(String name) throws SyscallException {
        checkName(name);
        return new PathHandle(openat2(fd, name, O_PATH, 0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
                | RESOLVE_NO_MAGICLINKS, path.resolve(name)), path.resolve(name));
    }

    /** The entry {@code name}, made a directory first if it is missing; EEXIST and ENOENT races are retried. */
    public PathHandle childOrMakeDirectory(String name, int mode) throws SyscallException {
        return childOrMake(name, () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment n = arena.allocateFrom(name);
                LibC.call(arena, "mkdirat", path.resolve(name),
                        state -> (int) LibC.MKDIRAT.invokeExact(state, fd, n, mode));
            }
        });
    }

    /** The entry {@code name}, made an empty regular file first if it is missing. */
    public PathHandle childOrMakeFile(String name, int mode) throws SyscallException {
        return childOrMake(name, () -> {
            // O_EXCL | O_NOFOLLOW: never opens, nor creates through, anything already there.
            int made = openat2(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode,
                    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS, path.resolve(name));
            new Fd(made, path.resolve(name)).close();
        });
    }

    /** Makes an entry that is missing; EEXIST means another made it meanwhile. */
    private interface Maker {
        void make() throws SyscallException;
    }

    /** Opens {@code name}, making it with {@code maker} when it is missing: a race with another maker is retried. */
    private PathHandle childOrMake(String name, Maker maker) throws SyscallException {
        checkName(name);
        for (int attempt = 0; ; attempt++) {
            try {
                return child(name);
            } catch (SyscallException e) {
                if (e.errno() != SyscallException.ENOENT || attempt == RETRIES) {
                    throw e;
                }
            }
            try {
                maker.make();
            } catch (SyscallException e) {
                if (e.errno() != SyscallException.EEXIST) { // made meanwhile: open what is there
                    throw e;
                }
            }
        }
    }

    /** The path this handle was opened at (where the object was then; a rename since is not seen). */
    public Path path() {
        return path;
    }

    /** {@code /proc/self/fd/N}: the handle's own object for calls that take a path, valid while it is open. */
    public Path procPath() {
        return Path.of("/proc/self/fd/" + fd);
    }

    int fd() {
        return fd;
    }

    /** What the handle's object is, from statx on the descriptor itself. */
    public FileStat stat() throws SyscallException {
        return statx().stat();
    }

    public Kind kind() throws SyscallException {
        return kindOf(stat().type());
    }

    /** Whether the handle sits at the root of a mount (something is mounted here, or this is {@code /}). */
    public boolean isMountRoot() throws SyscallException {
        return (statx().attributes() & STATX_ATTR_MOUNT_ROOT) != 0;
    }

    /** The ID of the mount the handle is on: {@link MountInfo#mountId()}, see {@link MountTable#byId}. */
    public long mountId() throws SyscallException {
        return stat().mountId();
    }

    /** The mount the handle is on, as the mount table describes it. */
    public Optional<MountInfo> mount() throws IOException {
        return MountTable.read().byId(mountId());
    }

    /**
     * Up to {@code limit} names in this directory ({@code .} and {@code ..} left out): for "not
     * empty" messages, and emptiness itself with a limit of 1.
     */
    public List<String> entries(int limit) throws IOException {
        List<String> names = new ArrayList<>(Math.min(limit, 16));
        // Opening the magic link opens exactly the handle's directory (no lookup of path).
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(procPath())) {
            for (Path entry : dir) {
                if (names.size() >= limit) {
                    break;
                }
                names.add(entry.getFileName().toString());
            }
        }
        return names;
    }

    /** What the entry {@code name} of this directory is itself (a link is not followed), if it exists. */
    public Optional<Kind> childKind(String name) throws SyscallException {
        checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(FileStat.SIZE, 8);
            MemorySegment n = arena.allocateFrom(name);
            LibC.call(arena, "statx", path.resolve(name), state -> (int) LibC.STATX.invokeExact(state, fd, n,
                    AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC, FileStat.STATX_BASIC_STATS, buf));
            return Optional.of(kindOf(FileStat.decode(buf).type()));
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Removes the empty directory {@code name} of this directory; a symlink there is left alone ({@code ENOTDIR}). */
    public void removeDirectory(String name) throws SyscallException {
        unlinkat(name, AT_REMOVEDIR);
    }

    /**
     * Removes the file {@code name} of this directory (not a directory: {@code EISDIR}); a symbolic
     * link there is refused with {@code ELOOP} and left alone.
     */
    public void removeFile(String name) throws SyscallException {
        if (childKind(name).orElse(Kind.OTHER) == Kind.SYMBOLIC_LINK) {
            throw new SyscallException("unlinkat", path.resolve(name).toString(), SyscallException.ELOOP);
        }
        unlinkat(name, 0);
    }

    private void unlinkat(String name, int flags) throws SyscallException {
        checkName(name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocateFrom(name);
            LibC.call(arena, "unlinkat", path.resolve(name), state -> (int) LibC.UNLINKAT.invokeExact(state, fd, n, flags));
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            new Fd(fd, path).close();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    static Kind kindOf(int type) {
        return switch (type) {
            case FileStat.S_IFDIR -> Kind.DIRECTORY;
            case FileStat.S_IFREG -> Kind.REGULAR_FILE;
            case FileStat.S_IFBLK -> Kind.BLOCK_DEVICE;
            case FileStat.S_IFLNK -> Kind.SYMBOLIC_LINK;
            default -> Kind.OTHER;
        };
    }

    private record Statx(FileStat stat, long attributes) {}

    private Statx statx() throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(FileStat.SIZE, 8);
            MemorySegment empty = arena.allocateFrom("");
            LibC.call(arena, "statx", path, state -> (int) LibC.STATX.invokeExact(state, fd, empty,
                    AT_EMPTY_PATH | AT_STATX_DONT_SYNC, FileStat.STATX_BASIC_STATS | FileStat.STATX_MNT_ID, buf));
            return new Statx(FileStat.decode(buf), buf.get(ValueLayout.JAVA_LONG, ATTRIBUTES));
        }
    }

    /**
     * openat2(2) through syscall(2) (glibc 2.36 has no wrapper); {@code struct open_how} is
     * {@code { u64 flags; u64 mode; u64 resolve; }}. EAGAIN (a rename raced a {@code ..} check)
     * and EINTR are retried.
     */
    static int openat2(int dirfd, String name, int flags, int mode, long resolve, Path subject) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(OPEN_HOW_SIZE, 8);
            how.set(ValueLayout.JAVA_LONG, 0, Integer.toUnsignedLong(flags | O_CLOEXEC));
            how.set(ValueLayout.JAVA_LONG, 8, mode);
            how.set(ValueLayout.JAVA_LONG, 16, resolve);
            MemorySegment n = arena.allocateFrom(name);
            for (int attempt = 0; ; attempt++) {
                try {
                    return (int) LibC.callLong(arena, "openat2", subject, state -> (long) LibC.SYSCALL3.invokeExact(
                            state, SYS_OPENAT2, (long) dirfd, n, how, OPEN_HOW_SIZE));
                } catch (SyscallException e) {
                    boolean transient_ = e.errno() == SyscallException.EAGAIN || e.errno() == SyscallException.EINTR;
                    if (!transient_ || attempt == RETRIES) {
                        throw e;
                    }
                }
            }
        }
    }

    private static Path checkAbsolute(Path path) {
        if (!path.isAbsolute() || !path.equals(path.normalize())) {
            throw new IllegalArgumentException("not an absolute, normalised path: " + path);
        }
        return path;
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a single path component: '" + name + "'");
        }
    }
}
