package io.csi4j.backend.local.store;

import io.csi4j.backend.local.volume.LocalSnapshotId;
import io.csi4j.backend.local.volume.VolumeType;

import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

/**
 * What the driver remembers of one snapshot, its own small file like a volume's record. It
 * keeps what a restore needs of the source (type, access, filesystem, size), since the source
 * volume may be long gone.
 *
 * @param state   {@code creating} until the copy is complete, then {@code ready}; {@code deleting}
 *                once deletion began
 * @param groupId the group snapshot it belongs to, or ""
 */
public record SnapshotRecord(LocalSnapshotId id, String name, String state, String sourceVolumeId, VolumeType type,
                      boolean block, String fsType, long sizeBytes, Instant createdAt, String groupId) {

    public SnapshotRecord {
        RecordHeader.require(id, name, state);
        Objects.requireNonNull(sourceVolumeId, "sourceVolumeId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(fsType, "fsType");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(groupId, "groupId");
    }

    public SnapshotRecord withState(String newState) {
        return new SnapshotRecord(id, name, newState, sourceVolumeId, type, block, fsType, sizeBytes, createdAt, groupId);
    }

    Properties toProperties() {
        Properties p = RecordHeader.write(id, name, state);
        p.setProperty("source", sourceVolumeId);
        p.setProperty("type", type.parameterValue());
        p.setProperty("block", Boolean.toString(block));
        p.setProperty("fsType", fsType);
        p.setProperty("sizeBytes", Long.toString(sizeBytes));
        p.setProperty("createdAt", createdAt.toString());
        p.setProperty("group", groupId);
        return p;
    }

    static SnapshotRecord fromProperties(Properties p) {
        RecordHeader.check(p, "snapshot record");
        return new SnapshotRecord(
                LocalSnapshotId.parse(p.getProperty("id"), LocalSnapshotId.SNAPSHOT)
                        .orElseThrow(() -> new IllegalArgumentException("bad snapshot id")),
                p.getProperty("name"), p.getProperty("state"), p.getProperty("source"),
                VolumeType.fromParameter(p.getProperty("type")), Boolean.parseBoolean(p.getProperty("block")),
                p.getProperty("fsType", ""), Long.parseLong(p.getProperty("sizeBytes")),
                Instant.parse(p.getProperty("createdAt")), p.getProperty("group", ""));
    }
}
