package io.csi4j.backend.local;

import java.util.Optional;

/**
 * A local snapshot's ID, {@code s1.<32 hex digits>.<node ID>}, or a group snapshot's,
 * {@code g1.<...>.<node ID>}: the same shape as volume IDs, so the owning node is known from
 * the ID alone.
 */
record LocalSnapshotId(String prefix, String uuid, String node) {

    static final String SNAPSHOT = "s1.";
    static final String GROUP = "g1.";

    static LocalSnapshotId random(String prefix, String node) {
        LocalVolumeId u = LocalVolumeId.random(node);
        return new LocalSnapshotId(prefix, u.uuid(), node);
    }

    static Optional<LocalSnapshotId> parse(String text, String prefix) {
        return LocalVolumeId.parse(text, prefix).map(id -> new LocalSnapshotId(prefix, id.uuid(), id.node()));
    }

    @Override
    public String toString() {
        return prefix + uuid + "." + node;
    }
}
