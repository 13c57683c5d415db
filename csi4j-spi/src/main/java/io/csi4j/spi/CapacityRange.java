package io.csi4j.spi;

/**
 * How big a volume may be: at least {@code requiredBytes}, at most {@code limitBytes}; 0 leaves
 * a bound open.
 */
public record CapacityRange(long requiredBytes, long limitBytes) {

    public static final CapacityRange ANY = new CapacityRange(0, 0);

    public CapacityRange {
        if (requiredBytes < 0 || limitBytes < 0) {
            throw new InvalidParameter("capacity bounds must not be negative");
        }
    }

    public boolean hasRequired() {
        return requiredBytes > 0;
    }

    public boolean hasLimit() {
        return limitBytes > 0;
    }

    /** Whether {@code bytes} lies within both bounds. */
    public boolean admits(long bytes) {
        return (!hasRequired() || bytes >= requiredBytes) && (!hasLimit() || bytes <= limitBytes);
    }
}
