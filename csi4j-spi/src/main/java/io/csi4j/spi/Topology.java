package io.csi4j.spi;

import java.util.List;
import java.util.Map;

/**
 * Where a volume must or should be reachable from: segments such as
 * {@code {topology.csi4j.io/node: node-1}}. Empty lists mean no constraint.
 */
public record Topology(List<Map<String, String>> requisite, List<Map<String, String>> preferred) {

    public static final Topology ANY = new Topology(List.of(), List.of());

    /** The key of csi4j's per-node segment: a volume with {@code {NODE_KEY: n}} lives on node n. */
    public static final String NODE_KEY = "topology.csi4j.io/node";

    public Topology {
        requisite = requisite.stream().map(Map::copyOf).toList();
        preferred = preferred.stream().map(Map::copyOf).toList();
    }

    /**
     * Whether a volume placed in {@code segment} satisfies the requisite list: true when there is
     * none, or when one requisite entry matches every key it names.
     */
    public boolean admits(Map<String, String> segment) {
        if (requisite.isEmpty()) {
            return true;
        }
        return requisite.stream().anyMatch(wanted -> wanted.entrySet().stream()
                .allMatch(e -> e.getValue().equals(segment.get(e.getKey()))));
    }
}
