package io.csi4j.spi;

/** The backend cannot be reached or used right now (storage offline, data directory missing); a retry may succeed. */
public final class BackendUnavailable extends BackendException {

    public BackendUnavailable(String message) {
        super(message);
    }

    public BackendUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
