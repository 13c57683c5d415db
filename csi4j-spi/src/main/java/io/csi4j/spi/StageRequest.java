package io.csi4j.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A volume to stage on this node.
 *
 * @param context the volume context its creation returned
 */
public record StageRequest(String volumeId, Path stagingPath, VolumeCapability capability,
                           Map<String, String> context) {

    public StageRequest {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(stagingPath, "stagingPath");
        Objects.requireNonNull(capability, "capability");
        context = Map.copyOf(context);
    }
}
