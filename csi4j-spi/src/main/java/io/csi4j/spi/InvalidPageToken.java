package io.csi4j.spi;

/** A listing was asked to continue from a token this backend did not issue (or no longer honours). */
public final class InvalidPageToken extends BackendException {

    public InvalidPageToken(String message) {
        super(message);
    }
}
