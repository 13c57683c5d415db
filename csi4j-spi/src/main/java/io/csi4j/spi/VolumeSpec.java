package io.csi4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request for a volume. The name identifies it: asking again with the same name and compatible
 * properties must return the same volume.
 *
 * @param parameters the StorageClass parameters, including the {@code csi.storage.k8s.io/} keys
 *                   that Kubernetes sidecars add
 */
public record VolumeSpec(String name, CapacityRange capacity, List<VolumeCapability> capabilities,
                         Map<String, String> parameters, Topology topology, VolumeSource source) {

    public VolumeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(source, "source");
        capabilities = List.copyOf(capabilities);
        parameters = Map.copyOf(parameters);
    }
}
