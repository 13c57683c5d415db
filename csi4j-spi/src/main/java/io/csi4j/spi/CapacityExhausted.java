package io.csi4j.spi;

/** The backend has no room left for what was asked. */
public final class CapacityExhausted extends BackendException {

    public CapacityExhausted(String message) {
        super(message);
    }

    public CapacityExhausted(String message, Throwable cause) {
        super(message, cause);
    }
}
