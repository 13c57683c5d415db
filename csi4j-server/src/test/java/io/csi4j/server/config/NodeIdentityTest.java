package io.csi4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdentityTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"n1", "a", "worker-1", "ip-10-0-0-1.ec2.internal", "Node_7",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void validNodeIdsAreKept(String id) {
        assertThat(new NodeIdentity(id).nodeId()).isEqualTo(id);
    }

    @ParameterizedTest(name = "[error] \"{0}\"")
    @ValueSource(strings = {"", "-n1", "n1-", ".n1", "node/1", "node 1", "n\u00f6de",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void invalidNodeIdsAreRefusedWithTheRule(String id) {
        assertThatThrownBy(() -> new NodeIdentity(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid node ID '" + id + "': it must be 1-63 characters of letters, digits, '-', '_'"
                        + " or '.', starting and ending with a letter or digit (it is used as a Kubernetes label"
                        + " value)");
    }

    @Test
    void aMissingNodeIdIsRefused() {
        assertThatThrownBy(() -> new NodeIdentity(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("nodeId");
    }

    @Test
    void topologyPlacesVolumesOnThisNode() {
        assertThat(new NodeIdentity("n1").topology()).isEqualTo(Map.of("topology.csi4j.io/node", "n1"));
        assertThat(NodeIdentity.TOPOLOGY_KEY).isEqualTo("topology.csi4j.io/node");
    }
}
