package io.csi4j.spi;

import java.util.List;
import java.util.Map;

/**
 * "How much could a volume with these properties get?"
 *
 * @param segment the topology segment asked about; empty for "anywhere"
 */
public record CapacityQuery(Map<String, String> parameters, List<VolumeCapability> capabilities,
                            Map<String, String> segment) {

    public CapacityQuery {
        parameters = Map.copyOf(parameters);
        capabilities = List.copyOf(capabilities);
        segment = Map.copyOf(segment);
    }
}
