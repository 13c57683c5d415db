package io.csi4j.backend.nfs.share;

import io.csi4j.backend.nfs.libnfs.NfsException;
import io.csi4j.spi.BackendException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.PermissionDenied;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns a failed share operation into the outcome a caller can act on, decided by errno, never by message text. */
public final class Failures {

    private Failures() {}

    /**
     * The outcome of {@code failure} while doing {@code what}. Unknown failures stay unexpected
     * (an {@link UncheckedIOException}, answered INTERNAL with the details in the log).
     */
    public static RuntimeException of(IOException failure, String what) {
        String message = what + ": " + failure.getMessage();
        BackendException outcome = switch (failure) {
            case NfsException e when e.denied() -> new PermissionDenied(message, e);
            case NfsException e when e.errno() == NfsException.ETIMEDOUT -> new BackendUnavailable(
                    what + ": the NFS server did not answer in time; retry later", e);
            case NfsException e when e.connectionLost() -> new BackendUnavailable(message, e);
            case NfsException e when e.errno() == NfsException.ENOSPC -> new CapacityExhausted(message, e);
            case NfsException e when e.errno() == NfsException.EROFS -> new FailedPrecondition(message, e);
            case NfsException e when e.errno() == NfsException.ENOENT -> new InvalidParameter(message, e);
            case AccessDeniedException e -> new PermissionDenied(what + ": permission denied on " + e.getFile(), e);
            case NoSuchFileException e -> new InvalidParameter(what + ": " + e.getFile() + " does not exist", e);
            default -> null;
        };
        return outcome != null ? outcome : new UncheckedIOException(message, failure);
    }
}
