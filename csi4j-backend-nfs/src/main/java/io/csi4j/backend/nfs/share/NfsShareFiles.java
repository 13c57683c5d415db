package io.csi4j.backend.nfs.share;

import io.csi4j.backend.nfs.libnfs.NfsAttributes;
import io.csi4j.backend.nfs.libnfs.NfsClient;
import io.csi4j.backend.nfs.libnfs.NfsEntry;
import io.csi4j.backend.nfs.libnfs.NfsException;
import io.csi4j.backend.nfs.libnfs.NfsExport;
import io.csi4j.backend.nfs.libnfs.NfsSpace;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * An export reached through libnfs. Holds one connection, made on first use and made again after
 * one was lost, so a controller keeps one connection per export instead of a mount per call.
 */
public final class NfsShareFiles implements ShareFiles, AutoCloseable {

    private final NfsExport export;
    private final Duration timeout;
    private NfsClient client;
    /** Whether the server answered the last call; a monitoring figure, never a decision. */
    private volatile boolean reachable = true;

    public NfsShareFiles(NfsExport export, Duration timeout) {
        this.export = export;
        this.timeout = timeout;
    }

    @FunctionalInterface
    private interface Op<T> {
        T apply(NfsClient client) throws NfsException;
    }

    /** Runs {@code op} on the connection; a lost connection is dropped so the next call reconnects. */
    private synchronized <T> T on(Op<T> op) throws NfsException {
        try {
            if (client == null) {
                client = NfsClient.connect(export, timeout);
            }
        } catch (NfsException e) {
            reachable = false;
            throw e;
        }
        try {
            T result = op.apply(client);
            reachable = true;
            return result;
        } catch (NfsException e) {
            reachable = !e.connectionLost();
            if (e.connectionLost()) {
                client.close();
                client = null;
            }
            throw e;
        }
    }

    private static String abs(String path) {
        return "/" + path;
    }

    @Override
    public boolean reachable() {
        return reachable;
    }

    @Override
    public String describe() {
        return export.toString();
    }

    @Override
    public Optional<NfsAttributes> lstat(String path) throws IOException {
        return on(c -> c.lstat(abs(path)));
    }

    @FunctionalInterface
    private interface Create {
        void run(NfsClient client) throws NfsException;
    }

    /** Runs a create; false when something already was there. */
    private boolean created(Create create) throws NfsException {
        return on(c -> {
            try {
                create.run(c);
                return true;
            } catch (NfsException e) {
                if (e.errno() == NfsException.EEXIST) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public boolean mkdir(String path, int mode) throws IOException {
        if (!created(c -> c.mkdir(abs(path), mode))) {
            return false;
        }
        chmod(path, mode); // some servers apply their umask on create
        return true;
    }

    @Override
    public void chmod(String path, int mode) throws IOException {
        on(c -> {
            c.chmod(abs(path), mode);
            return null;
        });
    }

    @Override
    public void rename(String from, String to) throws IOException {
        on(c -> {
            c.rename(abs(from), abs(to));
            return null;
        });
    }

    @Override
    public boolean remove(String path, boolean directory) throws IOException {
        return on(c -> {
            try {
                if (directory) {
                    c.rmdir(abs(path));
                } else {
                    c.unlink(abs(path));
                }
                return true;
            } catch (NfsException e) {
                if (e.notFound()) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public List<NfsEntry> list(String path) throws IOException {
        return on(c -> c.list(abs(path)));
    }

    @Override
    public boolean symlink(String target, String path) throws IOException {
        return created(c -> c.symlink(target, abs(path)));
    }

    @Override
    public String readlink(String path) throws IOException {
        return on(c -> c.readlink(abs(path)));
    }

    @Override
    public void copyFile(String from, String to, int mode) throws IOException {
        on(c -> {
            c.copyFile(abs(from), abs(to), mode);
            return null;
        });
    }

    @Override
    public NfsSpace space() throws IOException {
        return on(c -> c.statvfs("/"));
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
