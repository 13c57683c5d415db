package io.csi4j.spi;

import java.util.List;

/**
 * A volume with what is known of its use: the nodes it is published to, and whether it is healthy.
 *
 * @param abnormal whether something is wrong with it; {@code message} says what (empty when healthy)
 */
public record VolumeStatus(Volume volume, List<String> publishedNodeIds, boolean abnormal, String message) {

    public VolumeStatus {
        publishedNodeIds = List.copyOf(publishedNodeIds);
    }
}
