package io.csi4j.spi;

/** The storage refused the driver: an export that does not let this client in, a directory it may not change. */
public final class PermissionDenied extends BackendException {

    public PermissionDenied(String message) {
        super(message);
    }

    public PermissionDenied(String message, Throwable cause) {
        super(message, cause);
    }
}
