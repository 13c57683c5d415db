package io.csi4j.spi;

import java.util.Map;

/**
 * A backend's figures at one moment, for monitoring: computed from what it holds in memory (never a
 * scan of its disks), so they may be asked for on every scrape. A figure the backend does not know
 * is {@link #UNKNOWN} (or an empty map) and is not reported. Keys of the maps are a small, fixed set
 * (kinds, reasons), never a volume's ID or name.
 *
 * @param volumesByKind      volumes by kind ({@code image}, {@code directory}, ...)
 * @param snapshotsByKind    snapshots by kind
 * @param promisedBytes      bytes promised to volumes (their capacities)
 * @param writtenBytes       of those, bytes already written
 * @param availableBytes     bytes available in the backend's storage (the data directory's filesystem)
 * @param totalBytes         size of that storage
 * @param stagedVolumes      volumes staged on this node
 * @param publishedVolumes   volumes published on this node
 * @param abnormalByReason   volumes whose condition is abnormal, by reason
 * @param exportsReachable   remote exports the backend can reach
 * @param exportsUnreachable remote exports it cannot reach
 */
public record BackendFigures(Map<String, Long> volumesByKind, Map<String, Long> snapshotsByKind,
                             long promisedBytes, long writtenBytes, long availableBytes, long totalBytes,
                             long stagedVolumes, long publishedVolumes, Map<String, Long> abnormalByReason,
                             long exportsReachable, long exportsUnreachable) {

    /** A figure the backend does not know. */
    public static final long UNKNOWN = -1;

    /** Nothing known. */
    public static final BackendFigures NONE = new BackendFigures(Map.of(), Map.of(), UNKNOWN, UNKNOWN, UNKNOWN,
            UNKNOWN, UNKNOWN, UNKNOWN, Map.of(), UNKNOWN, UNKNOWN);

    public BackendFigures {
        volumesByKind = Map.copyOf(volumesByKind);
        snapshotsByKind = Map.copyOf(snapshotsByKind);
        abnormalByReason = Map.copyOf(abnormalByReason);
    }
}
