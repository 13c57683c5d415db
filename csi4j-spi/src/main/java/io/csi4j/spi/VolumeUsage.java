package io.csi4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * What a volume holds and whether it is healthy.
 *
 * @param bytes    byte counts, when they can be read
 * @param inodes   inode counts, for filesystems that have them
 * @param abnormal whether something is wrong; {@code message} says what (or "all is well")
 */
public record VolumeUsage(Optional<Counts> bytes, Optional<Counts> inodes, boolean abnormal, String message) {

    public VolumeUsage {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(inodes, "inodes");
        Objects.requireNonNull(message, "message");
    }

    /** Counts of one unit; each is -1 when not known. */
    public record Counts(long total, long available, long used) {}
}
