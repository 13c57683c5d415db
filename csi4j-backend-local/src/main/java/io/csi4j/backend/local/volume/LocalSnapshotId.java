package io.csi4j.backend.local.volume;

import java.util.Optional;

/**
 * A local snapshot's ID, {@code s1.<32 hex digits>.<node ID>}, or a group snapshot's,
 * {@code g1.<...>.<node ID>}: the same shape as volume IDs, so the owning node is known from
 * the ID alone.
 */
public record LocalSnapshotId(String prefix, String uuid, String node) {

    public static final String SNAPSHOT = "s1.";
    public static final String GROUP = "g1.";

    public static LocalSnapshotId random(String prefix, String node) {
        LocalVolumeId u = LocalVolumeId.random(node);
        return new LocalSnapshotId(prefix, u.uuid(), node);
    }

    public static Optional<LocalSnapshotId> parse(String text, String prefix) {
        return LocalVolumeId.parse(text, prefix).map(id -> new LocalSnapshotId(prefix, id.uuid(), id.node()));
    }

    /** Refuses (FAILED_PRECONDITION) a delete of {@code what}, this snapshot or group, on another node than its own. */
    public void requireOn(String here, String what) {
        LocalVolumeId.requireOwner(node, here, what);
    }

    @Override
    public String toString() {
        return prefix + uuid + "." + node;
    }
}
