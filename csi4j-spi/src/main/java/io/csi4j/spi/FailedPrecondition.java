package io.csi4j.spi;

/** The volume is not in a state that allows the operation (e.g. not staged, still published, holds data of another kind). */
public final class FailedPrecondition extends BackendException {

    public FailedPrecondition(String message) {
        super(message);
    }

    public FailedPrecondition(String message, Throwable cause) {
        super(message, cause);
    }
}
