package io.csi4j.spi;

/** The size asked for is outside what the backend supports, or would shrink a volume. */
public final class CapacityOutOfRange extends BackendException {

    public CapacityOutOfRange(String message) {
        super(message);
    }

    public CapacityOutOfRange(String message, Throwable cause) {
        super(message, cause);
    }
}
