package io.csi4j.spi;

/** Another operation on the same volume is in progress; the caller should retry later. */
public final class OperationPending extends BackendException {

    public OperationPending(String message) {
        super(message);
    }

    public OperationPending(String message, Throwable cause) {
        super(message, cause);
    }
}
