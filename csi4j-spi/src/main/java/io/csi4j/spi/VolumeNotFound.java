package io.csi4j.spi;

/** The named volume does not exist (or no longer does). */
public final class VolumeNotFound extends BackendException {

    public VolumeNotFound(String message) {
        super(message);
    }

    public VolumeNotFound(String message, Throwable cause) {
        super(message, cause);
    }
}
