package io.csi4j.spi;

/** A request parameter the backend cannot accept: an unknown key, a malformed value, a combination it cannot serve. */
public final class InvalidParameter extends BackendException {

    public InvalidParameter(String message) {
        super(message);
    }

    public InvalidParameter(String message, Throwable cause) {
        super(message, cause);
    }
}
