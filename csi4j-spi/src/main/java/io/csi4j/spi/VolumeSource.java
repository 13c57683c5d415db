package io.csi4j.spi;

/** What a new volume starts with: nothing, a snapshot's content, or another volume's. */
public sealed interface VolumeSource {

    /** An empty volume. */
    record Empty() implements VolumeSource {}

    /** A copy of a snapshot. */
    record FromSnapshot(String snapshotId) implements VolumeSource {}

    /** A clone of a volume. */
    record FromVolume(String volumeId) implements VolumeSource {}

    VolumeSource EMPTY = new Empty();
}
