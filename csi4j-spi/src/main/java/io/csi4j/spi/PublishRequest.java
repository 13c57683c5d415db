package io.csi4j.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A volume to publish at a target path.
 *
 * @param stagingPath where it was staged; empty for volumes that need no staging (ephemeral ones)
 * @param readOnly    whether the workload may only read
 * @param context     the volume context (for ephemeral inline volumes, their attributes)
 */
public record PublishRequest(String volumeId, Optional<Path> stagingPath, Path targetPath,
                             VolumeCapability capability, boolean readOnly, Map<String, String> context) {

    /** The volume-context key through which the CO marks an ephemeral inline volume. */
    public static final String EPHEMERAL_KEY = "csi.storage.k8s.io/ephemeral";

    public PublishRequest {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(stagingPath, "stagingPath");
        Objects.requireNonNull(targetPath, "targetPath");
        Objects.requireNonNull(capability, "capability");
        context = Map.copyOf(context);
    }

    /** Whether the CO asks for an ephemeral inline volume, made and removed with the publication. */
    public boolean ephemeral() {
        return "true".equals(context.get(EPHEMERAL_KEY));
    }
}
