package io.csi4j.spi;

/**
 * The volume is already staged or published at the path asked, in a way that differs from what
 * is asked now (other capability, read-only flag or staging path).
 */
public final class UseConflict extends BackendException {

    public UseConflict(String message) {
        super(message);
    }
}
