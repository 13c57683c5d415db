package io.csi4j.backend.local.volume;

import io.csi4j.spi.InvalidParameter;
import java.util.Map;
import java.util.Set;

/**
 * The StorageClass parameters the local backend understands. Unknown keys are refused, so a typo
 * never silently gives a different volume; the {@code csi.storage.k8s.io/} keys that Kubernetes
 * sidecars add are allowed.
 *
 * @param overcommit       the volume's size is not held back from other volumes' room
 * @param enforceCapacity  a {@code directory} volume must be limited to its capacity
 */
public record LocalParameters(VolumeType type, boolean overcommit, boolean enforceCapacity) {

    public static final String TYPE = "type";
    static final String OVERCOMMIT = "overcommit";
    static final String ENFORCE_CAPACITY = "enforceCapacity";
    private static final Set<String> KNOWN = Set.of(TYPE, OVERCOMMIT, ENFORCE_CAPACITY);
    private static final String SIDECAR_PREFIX = "csi.storage.k8s.io/";

    public static LocalParameters parse(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!KNOWN.contains(key) && !key.startsWith(SIDECAR_PREFIX)) {
                throw new InvalidParameter("unknown parameter '" + key + "'; the local backend takes "
                        + "type, overcommit and enforceCapacity");
            }
        }
        return new LocalParameters(
                VolumeType.fromParameter(parameters.getOrDefault(TYPE, VolumeType.IMAGE.parameterValue())),
                flag(parameters, OVERCOMMIT, false),
                flag(parameters, ENFORCE_CAPACITY, true));
    }

    private static boolean flag(Map<String, String> parameters, String key, boolean otherwise) {
        String value = parameters.get(key);
        if (value == null) {
            return otherwise;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameter("parameter " + key + " must be \"true\" or \"false\", not '" + value + "'");
        };
    }
}
