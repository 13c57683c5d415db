package io.csi4j.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A point-in-time copy of a volume.
 *
 * @param sizeBytes  the size of the volume it was taken of: a volume restored from it is at least this large
 * @param groupId    the group snapshot it belongs to, or "" when it stands alone
 */
public record Snapshot(String id, String sourceVolumeId, long sizeBytes, Instant createdAt, boolean readyToUse,
                       String groupId) {

    public Snapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceVolumeId, "sourceVolumeId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(groupId, "groupId");
    }
}
