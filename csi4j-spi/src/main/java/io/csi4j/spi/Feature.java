package io.csi4j.spi;

/**
 * Optional abilities of a backend. The CSI server turns them into the plugin, controller and
 * node capabilities it reports; a backend lists only what fully works.
 */
public enum Feature {
    /** Volumes can be created and deleted (the controller side). */
    PROVISIONING,
    /** Volumes can be staged and published on nodes (the node side). */
    NODE_VOLUMES,
    /**
     * Volumes are made ready once per node (stage) before being handed to workloads (publish).
     * Without it, publish does everything.
     */
    STAGING,
    /** Node usage (bytes, inodes) and health of a volume can be read. */
    VOLUME_STATS,
    /** Several workloads on one node may write to one single-node-writer volume. */
    SINGLE_NODE_MULTI_WRITER,
    /** Volumes are reachable only from some nodes, described by topology segments. */
    VOLUME_TOPOLOGY,
    /** Volumes can be snapshotted, and volumes made from snapshots. */
    SNAPSHOTS,
    /** Volumes can be made as copies of other volumes. */
    CLONING,
    /** Volumes can grow while in use. */
    ONLINE_EXPANSION,
    /** Volumes can grow only while not in use. */
    OFFLINE_EXPANSION,
    /** Several volumes can be snapshotted together as one consistent group. */
    GROUP_SNAPSHOTS,
    /** Changed and allocated blocks of snapshots can be listed. */
    SNAPSHOT_METADATA,
}
