package io.csi4j.server.config;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who this node is: its CSI node ID and the topology segment that places volumes on it. The ID
 * doubles as the value of a Kubernetes topology label, so it must be a valid label value.
 */
public record NodeIdentity(String nodeId) {

    /** The topology key of node-local volumes: a volume with this segment lives on that node. */
    public static final String TOPOLOGY_KEY = io.csi4j.spi.Topology.NODE_KEY;

    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    public NodeIdentity {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!LABEL_VALUE.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("invalid node ID '" + nodeId
                    + "': it must be 1-63 characters of letters, digits, '-', '_' or '.', starting and"
                    + " ending with a letter or digit (it is used as a Kubernetes label value)");
        }
    }

    public Map<String, String> topology() {
        return Map.of(TOPOLOGY_KEY, nodeId);
    }
}
