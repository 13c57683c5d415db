package io.csi4j.spi;

/** A volume of that name exists with other, incompatible properties. */
public final class VolumeAlreadyExists extends BackendException {

    public VolumeAlreadyExists(String message) {
        super(message);
    }

    public VolumeAlreadyExists(String message, Throwable cause) {
        super(message, cause);
    }
}
