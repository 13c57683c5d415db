package io.csi4j.backend.nfs.libnfs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One NFSv3 connection to one export, through libnfs: no kernel mount, no privileges. A libnfs
 * context is not thread-safe, so every call holds this object's lock. Paths are absolute paths
 * inside the export ({@code /pvc-1/data}). After a failure that lost the connection
 * ({@link NfsException#connectionLost()}) the client is spent: close it and connect again.
 */
public final class NfsClient implements AutoCloseable {

    private static final int COPY_CHUNK = 1 << 20;
    private static final int EINTR = 4;
    private static final int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0100, O_EXCL = 0200;

    private final NfsExport export;
    private MemorySegment context;

    private NfsClient(NfsExport export, MemorySegment context) {
        this.export = export;
        this.context = context;
    }

    /** Whether libnfs can be loaded here; when not, why. */
    public static Optional<String> unavailableReason() {
        try {
            LibNfs.INIT_CONTEXT.type();
            return Optional.empty();
        } catch (LinkageError | IllegalArgumentException e) {
            return Optional.of(LibNfs.LIBRARY + " cannot be loaded (install Debian's libnfs13): " + e.getMessage());
        }
    }

    /**
     * Connects to {@code export} with NFSv3 (portmapper, MOUNT, then NFS).
     *
     * @param timeout how long any one call may wait for the server; a call that waits longer fails
     *                with {@code ETIMEDOUT}, so an unreachable server never hangs a caller
     */
    public static NfsClient connect(NfsExport export, Duration timeout) throws NfsException {
        MemorySegment context;
        try {
            context = (MemorySegment) LibNfs.INIT_CONTEXT.invokeExact();
        } catch (Throwable e) {
            throw rethrow(e);
        }
        if (context.equals(MemorySegment.NULL)) {
            throw new NfsException("libnfs could not create a context", 12 /* ENOMEM */);
        }
        NfsClient client = new NfsClient(export, context);
        try {
            client.open(timeout);
            return client;
        } catch (NfsException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private synchronized void open(Duration timeout) throws NfsException {
        try (Arena arena = Arena.ofConfined()) {
            LibNfs.SET_TIMEOUT.invokeExact(context, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            int rc = (int) LibNfs.SET_VERSION.invokeExact(context, 3);
            check(rc, "choosing NFSv3");
            short ignored = (short) LibNfs.UMASK.invokeExact(context, (short) 0); // modes are set exactly as asked
            MemorySegment url = (MemorySegment) LibNfs.PARSE_URL_DIR.invokeExact(context, arena.allocateFrom(export.url()));
            if (url.equals(MemorySegment.NULL)) {
                throw new NfsException("not a valid NFS location " + export + ": " + error(), NfsException.EINVAL);
            }
            try {
                MemorySegment fields = url.reinterpret(24);
                MemorySegment server = fields.get(ValueLayout.ADDRESS, LibNfs.URL_SERVER);
                MemorySegment path = fields.get(ValueLayout.ADDRESS, LibNfs.URL_PATH);
                check((int) LibNfs.MOUNT.invokeExact(context, server, path), "mounting " + export);
            } finally {
                LibNfs.DESTROY_URL.invokeExact(url);
            }
        } catch (NfsException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    public NfsExport export() {
        return export;
    }

    /** Creates a directory with exactly {@code mode}; {@code EEXIST} when something is there. */
    public synchronized void mkdir(String path, int mode) throws NfsException {
        call(path, "mkdir", (arena, p) -> (int) LibNfs.MKDIR2.invokeExact(live(), p, mode));
    }

    public synchronized void chmod(String path, int mode) throws NfsException {
        call(path, "chmod", (arena, p) -> (int) LibNfs.CHMOD.invokeExact(live(), p, mode));
    }

    /** Renames within the export; replaces an empty directory or a file at {@code to}, as rename(2). */
    public synchronized void rename(String from, String to) throws NfsException {
        call(from, "rename to " + to, (arena, p) -> (int) LibNfs.RENAME.invokeExact(live(), p, arena.allocateFrom(to)));
    }

    public synchronized void rmdir(String path) throws NfsException {
        call(path, "rmdir", (arena, p) -> (int) LibNfs.RMDIR.invokeExact(live(), p));
    }

    public synchronized void unlink(String path) throws NfsException {
        call(path, "unlink", (arena, p) -> (int) LibNfs.UNLINK.invokeExact(live(), p));
    }

    public synchronized void symlink(String target, String link) throws NfsException {
        call(link, "symlink", (arena, p) -> (int) LibNfs.SYMLINK.invokeExact(live(), arena.allocateFrom(target), p));
    }

    /** The file's attributes, not following a symlink; empty when nothing is there. */
    public synchronized Optional<NfsAttributes> lstat(String path) throws NfsException {
        return inArena(arena -> {
                MemorySegment st = arena.allocate(LibNfs.STAT_SIZE, 8);
                int rc = (int) LibNfs.LSTAT64.invokeExact(live(), arena.allocateFrom(path), st);
                if (rc == -NfsException.ENOENT) {
                    return Optional.empty();
                }
                check(rc, "lstat " + path);
                return Optional.of(new NfsAttributes((int) st.get(LibNfs.U64, LibNfs.STAT_MODE),
                        st.get(LibNfs.U64, LibNfs.STAT_UID), st.get(LibNfs.U64, LibNfs.STAT_GID),
                        st.get(LibNfs.U64, LibNfs.STAT_SIZE_FIELD)));
        });
    }

    /** The entries of a directory, without {@code .} and {@code ..}. */
    public synchronized List<NfsEntry> list(String path) throws NfsException {
        return inArena(arena -> {
                MemorySegment dirOut = arena.allocate(ValueLayout.ADDRESS);
                check((int) LibNfs.OPENDIR.invokeExact(live(), arena.allocateFrom(path), dirOut), "opendir " + path);
                MemorySegment dir = dirOut.get(ValueLayout.ADDRESS, 0);
                List<NfsEntry> entries = new ArrayList<>();
                try {
                    while (true) {
                        MemorySegment entry = (MemorySegment) LibNfs.READDIR.invokeExact(context, dir);
                        if (entry.equals(MemorySegment.NULL)) {
                            break;
                        }
                        entry = entry.reinterpret(32);
                        String name = entry.get(ValueLayout.ADDRESS, LibNfs.DIRENT_NAME).reinterpret(4096).getString(0);
                        if (!name.equals(".") && !name.equals("..")) {
                            entries.add(new NfsEntry(name, NfsEntry.Kind.of(entry.get(ValueLayout.JAVA_INT, LibNfs.DIRENT_TYPE))));
                        }
                    }
                } finally {
                    LibNfs.CLOSEDIR.invokeExact(context, dir);
                }
                return entries;
        });
    }

    /** Size and free space of the filesystem exported, as the server reports them. */
    public synchronized NfsSpace statvfs(String path) throws NfsException {
        return inArena(arena -> {
                MemorySegment vfs = arena.allocate(LibNfs.STATVFS_SIZE, 8);
                check((int) LibNfs.STATVFS64.invokeExact(live(), arena.allocateFrom(path), vfs), "statvfs " + path);
                long block = vfs.get(LibNfs.U64, LibNfs.VFS_FRSIZE);
                return new NfsSpace(block * vfs.get(LibNfs.U64, LibNfs.VFS_BLOCKS), block * vfs.get(LibNfs.U64, LibNfs.VFS_BFREE),
                        block * vfs.get(LibNfs.U64, LibNfs.VFS_BAVAIL), vfs.get(LibNfs.U64, LibNfs.VFS_FILES),
                        vfs.get(LibNfs.U64, LibNfs.VFS_FFREE));
        });
    }

    public synchronized String readlink(String path) throws NfsException {
        return inArena(arena -> {
                MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
                check((int) LibNfs.READLINK2.invokeExact(live(), arena.allocateFrom(path), out), "readlink " + path);
                MemorySegment text = out.get(ValueLayout.ADDRESS, 0);
                try {
                    return text.reinterpret(4096).getString(0);
                } finally {
                    LibNfs.FREE.invokeExact(text);
                }
        });
    }

    /**
     * Copies a regular file's bytes to a new file {@code to} with {@code mode}, through this client
     * (the bytes pass through the driver; NFSv3 has no server-side copy).
     */
    public synchronized void copyFile(String from, String to, int mode) throws NfsException {
        inArena(arena -> {
                MemorySegment fhOut = arena.allocate(ValueLayout.ADDRESS);
                check((int) LibNfs.OPEN2.invokeExact(live(), arena.allocateFrom(from), O_RDONLY, 0, fhOut), "open " + from);
                MemorySegment in = fhOut.get(ValueLayout.ADDRESS, 0);
                try {
                    check((int) LibNfs.OPEN2.invokeExact(context, arena.allocateFrom(to), O_WRONLY | O_CREAT | O_EXCL, mode, fhOut),
                            "create " + to);
                    MemorySegment out = fhOut.get(ValueLayout.ADDRESS, 0);
                    try {
                        MemorySegment buf = arena.allocate(COPY_CHUNK);
                        while (true) {
                            int n = (int) LibNfs.READ.invokeExact(context, in, (long) COPY_CHUNK, buf);
                            check(n, "read " + from);
                            if (n == 0) {
                                break;
                            }
                            for (int done = 0; done < n; ) {
                                int w = (int) LibNfs.WRITE.invokeExact(context, out, (long) (n - done), buf.asSlice(done));
                                check(w, "write " + to);
                                done += w;
                            }
                        }
                    } finally {
                        int ignored = (int) LibNfs.CLOSE.invokeExact(context, out);
                    }
                } finally {
                    int ignored = (int) LibNfs.CLOSE.invokeExact(context, in);
                }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        if (context == null) {
            return;
        }
        try {
            LibNfs.DESTROY_CONTEXT.invokeExact(context);
        } catch (Throwable e) {
            throw rethrow(e);
        } finally {
            context = null;
        }
    }

    @FunctionalInterface
    private interface Native<T> {
        T call(Arena arena) throws Throwable;
    }

    /** Runs native calls in a confined arena; NfsExceptions pass, anything else thrown is a bug. */
    private static <T> T inArena(Native<T> body) throws NfsException {
        try (Arena arena = Arena.ofConfined()) {
            return body.call(arena);
        } catch (NfsException | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    @FunctionalInterface
    private interface PathCall {
        int invoke(Arena arena, MemorySegment path) throws Throwable;
    }

    private void call(String path, String what, PathCall call) throws NfsException {
        inArena(arena -> {
            check(call.invoke(arena, arena.allocateFrom(path)), what + " " + path);
            return null;
        });
    }

    private MemorySegment live() {
        if (context == null) {
            throw new IllegalStateException("the NFS client for " + export + " is closed");
        }
        return context;
    }

    private void check(int rc, String what) throws NfsException {
        if (rc < 0) {
            // libnfs ends a call that ran past nfs_set_timeout with -EINTR; callers need to know it timed out.
            int errno = rc == -EINTR ? NfsException.ETIMEDOUT : -rc;
            throw new NfsException(what + " on " + export + ": " + error(), errno);
        }
    }

    private String error() {
        try {
            MemorySegment text = (MemorySegment) LibNfs.GET_ERROR.invokeExact(context);
            return text.equals(MemorySegment.NULL) ? "unknown error" : text.getString(0).strip();
        } catch (Throwable e) {
            return "unknown error";
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("libnfs could not be called", e);
    }
}
