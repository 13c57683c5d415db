package io.csi4j.linux;

import java.time.Duration;
import java.util.UUID;

/**
 * How {@link Mkfs} makes a filesystem.
 *
 * @param label   the volume label, or null for none (ext4 takes up to 16 bytes, xfs up to 12)
 * @param uuid    the filesystem UUID, or null for a random one
 * @param timeout how long mkfs may run before it is killed
 */
public record MkfsOptions(String label, UUID uuid, Duration timeout) {

    public MkfsOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** No label, a random UUID, five minutes. */
    public static MkfsOptions defaults() {
        return new MkfsOptions(null, null, Duration.ofMinutes(5));
    }

    public MkfsOptions withLabel(String label) {
        return new MkfsOptions(label, uuid, timeout);
    }

    public MkfsOptions withUuid(UUID uuid) {
        return new MkfsOptions(label, uuid, timeout);
    }

    public MkfsOptions withTimeout(Duration timeout) {
        return new MkfsOptions(label, uuid, timeout);
    }
}
