package io.csi4j.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A volume as its owner sees it.
 *
 * @param context            facts the node side needs (type, filesystem, ...), handed back on
 *                           stage and publish
 * @param accessibleTopology the segments from which the volume can be used; empty when anywhere
 */
public record Volume(String id, long capacityBytes, Map<String, String> context,
                     List<Map<String, String>> accessibleTopology) {

    public Volume {
        Objects.requireNonNull(id, "id");
        context = Map.copyOf(context);
        accessibleTopology = accessibleTopology.stream().map(Map::copyOf).toList();
    }
}
