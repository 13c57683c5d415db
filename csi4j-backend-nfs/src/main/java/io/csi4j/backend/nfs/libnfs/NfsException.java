package io.csi4j.backend.nfs.libnfs;

import java.io.IOException;

/**
 * An NFS call failed. {@link #errno()} says how, as libnfs reports it (the server's NFS status
 * mapped to errno: {@code ENOENT}, {@code EACCES}, {@code ESTALE}, {@code ETIMEDOUT}, ...).
 */
public final class NfsException extends IOException {

    public static final int EPERM = 1, ENOENT = 2, EIO = 5, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21,
            EINVAL = 22, ENOSPC = 28, EROFS = 30, ENOTEMPTY = 39, ETIMEDOUT = 110, ECONNREFUSED = 111,
            ESTALE = 116;

    private final int errno;

    public NfsException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** Whether the connection (not just the call) failed, so that the next call should reconnect. */
    public boolean connectionLost() {
        return errno == ETIMEDOUT || errno == ECONNREFUSED || errno == EIO || errno == 104 /* ECONNRESET */
                || errno == 32 /* EPIPE */ || errno == 107 /* ENOTCONN */;
    }

    public boolean notFound() {
        return errno == ENOENT;
    }

    public boolean denied() {
        return errno == EACCES || errno == EPERM;
    }
}
