package io.csi4j.spi;

/** The named snapshot does not exist (or no longer does). */
public final class SnapshotNotFound extends BackendException {

    public SnapshotNotFound(String message) {
        super(message);
    }

    public SnapshotNotFound(String message, Throwable cause) {
        super(message, cause);
    }
}
