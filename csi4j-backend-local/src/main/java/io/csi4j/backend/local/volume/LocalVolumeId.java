package io.csi4j.backend.local.volume;

import io.csi4j.spi.FailedPrecondition;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A local volume's ID: {@code l1.<32 hex digits>.<node ID>}. The version prefix lets the format
 * grow; the node part says which node owns the volume, so another node can refuse rather than
 * pretend to delete it. IDs come back from callers, so {@link #parse} accepts nothing else.
 */
public record LocalVolumeId(String uuid, String node) {

    private static final String PREFIX = "l1.";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    public LocalVolumeId {
        if (!UUID.matcher(uuid).matches() || !NODE.matcher(node).matches()) {
            throw new IllegalArgumentException("not a local volume id: " + uuid + " on " + node);
        }
    }

    public static LocalVolumeId random(String node) {
        java.util.UUID u = java.util.UUID.randomUUID();
        return new LocalVolumeId(String.format("%016x%016x", u.getMostSignificantBits(), u.getLeastSignificantBits()), node);
    }

    /** The ID in {@code text}, or empty when it is not one of ours. */
    public static Optional<LocalVolumeId> parse(String text) {
        return parse(text, PREFIX);
    }

    /**
     * {@code <prefix><32 hex digits>.<node ID>} split into UUID and node, or empty when
     * {@code text} is not that: the shape of every local ID (volumes, snapshots, groups).
     */
    static Optional<LocalVolumeId> parse(String text, String prefix) {
        if (text == null || text.length() < prefix.length() + 34 || !text.startsWith(prefix)
                || text.charAt(prefix.length() + 32) != '.') {
            return Optional.empty();
        }
        String uuid = text.substring(prefix.length(), prefix.length() + 32);
        String node = text.substring(prefix.length() + 33);
        if (!UUID.matcher(uuid).matches() || !NODE.matcher(node).matches()) {
            return Optional.empty();
        }
        return Optional.of(new LocalVolumeId(uuid, node));
    }

    /**
     * Refuses (FAILED_PRECONDITION) to delete {@code what} anywhere but on {@code owner}, the node
     * its ID names: another node cannot reach its data.
     */
    static void requireOwner(String owner, String here, String what) {
        if (!owner.equals(here)) {
            throw new FailedPrecondition(what + " lives on node " + owner + "; delete it through the driver on that node");
        }
    }

    /** See {@link #requireOwner}: for a delete of {@code what}, this volume, on node {@code here}. */
    public void requireOn(String here, String what) {
        requireOwner(node, here, what);
    }

    @Override
    public String toString() {
        return PREFIX + uuid + "." + node;
    }
}
