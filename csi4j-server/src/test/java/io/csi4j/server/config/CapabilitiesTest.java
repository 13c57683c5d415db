package io.csi4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.ControllerServiceCapability;
import csi.v1.NodeServiceCapability;
import csi.v1.PluginCapability;
import io.csi4j.spi.Feature;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CapabilitiesTest {

    /** A plugin capability as "service:TYPE" or "expansion:TYPE", so that tables stay readable. */
    private static String describe(PluginCapability capability) {
        return switch (capability.getTypeCase()) {
            case SERVICE -> "service:" + capability.getService().getType();
            case VOLUME_EXPANSION -> "expansion:" + capability.getVolumeExpansion().getType();
            case TYPE_NOT_SET -> "unset";
        };
    }

    private static List<String> plugin(Capabilities capabilities) {
        return capabilities.plugin().stream().map(CapabilitiesTest::describe).toList();
    }

    private static List<String> controller(Capabilities capabilities) {
        return capabilities.controller().stream()
                .map(c -> c.getRpc().getType().name())
                .toList();
    }

    private static List<String> node(Capabilities capabilities) {
        return capabilities.node().stream()
                .map(c -> c.getRpc().getType().name())
                .toList();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("node mode never reports the controller service", Mode.NODE, Set.of(Feature.PROVISIONING),
                        List.of(), List.of(), List.of()),
                Arguments.of("all mode, provisioning, topology, online expansion", Mode.ALL,
                        Set.of(Feature.PROVISIONING, Feature.VOLUME_TOPOLOGY, Feature.ONLINE_EXPANSION, Feature.NODE_VOLUMES),
                        List.of("service:CONTROLLER_SERVICE", "service:VOLUME_ACCESSIBILITY_CONSTRAINTS",
                                "expansion:ONLINE"),
                        List.of("CREATE_DELETE_VOLUME", "LIST_VOLUMES", "GET_VOLUME", "GET_CAPACITY", "VOLUME_CONDITION",
                                "EXPAND_VOLUME"),
                        List.of("EXPAND_VOLUME")),
                Arguments.of("controller mode, provisioning, offline expansion", Mode.CONTROLLER,
                        Set.of(Feature.PROVISIONING, Feature.OFFLINE_EXPANSION),
                        List.of("service:CONTROLLER_SERVICE", "expansion:OFFLINE"),
                        List.of("CREATE_DELETE_VOLUME", "LIST_VOLUMES", "GET_VOLUME", "GET_CAPACITY", "VOLUME_CONDITION",
                                "EXPAND_VOLUME"),
                        List.of()),
                Arguments.of("node mode, topology and offline expansion", Mode.NODE,
                        Set.of(Feature.VOLUME_TOPOLOGY, Feature.OFFLINE_EXPANSION, Feature.NODE_VOLUMES),
                        List.of("service:VOLUME_ACCESSIBILITY_CONSTRAINTS", "expansion:OFFLINE"),
                        List.of(),
                        List.of("EXPAND_VOLUME")),
                Arguments.of("online expansion wins over offline", Mode.ALL,
                        Set.of(Feature.ONLINE_EXPANSION, Feature.OFFLINE_EXPANSION, Feature.NODE_VOLUMES),
                        List.of("expansion:ONLINE"), List.of("EXPAND_VOLUME"), List.of("EXPAND_VOLUME")),
                Arguments.of("group snapshots and snapshot metadata in controller mode", Mode.CONTROLLER,
                        Set.of(Feature.GROUP_SNAPSHOTS, Feature.SNAPSHOT_METADATA),
                        List.of("service:GROUP_CONTROLLER_SERVICE", "service:SNAPSHOT_METADATA_SERVICE"),
                        List.of(), List.of()),
                Arguments.of("group snapshots and snapshot metadata need a controller", Mode.NODE,
                        Set.of(Feature.GROUP_SNAPSHOTS, Feature.SNAPSHOT_METADATA),
                        List.of(), List.of(), List.of()),
                Arguments.of("every feature in all mode", Mode.ALL, EnumSet.allOf(Feature.class),
                        List.of("service:CONTROLLER_SERVICE", "service:VOLUME_ACCESSIBILITY_CONSTRAINTS",
                                "service:GROUP_CONTROLLER_SERVICE", "service:SNAPSHOT_METADATA_SERVICE",
                                "expansion:ONLINE"),
                        List.of("CREATE_DELETE_VOLUME", "LIST_VOLUMES", "GET_VOLUME", "GET_CAPACITY", "VOLUME_CONDITION",
                                "CREATE_DELETE_SNAPSHOT", "LIST_SNAPSHOTS", "GET_SNAPSHOT", "CLONE_VOLUME",
                                "EXPAND_VOLUME"),
                        List.of("STAGE_UNSTAGE_VOLUME", "GET_VOLUME_STATS", "VOLUME_CONDITION", "SINGLE_NODE_MULTI_WRITER",
                                "EXPAND_VOLUME")),
                Arguments.of("the local backend's node side", Mode.NODE,
                        Set.of(Feature.NODE_VOLUMES, Feature.STAGING, Feature.VOLUME_STATS, Feature.SINGLE_NODE_MULTI_WRITER),
                        List.of(), List.of(),
                        List.of("STAGE_UNSTAGE_VOLUME", "GET_VOLUME_STATS", "VOLUME_CONDITION", "SINGLE_NODE_MULTI_WRITER")),
                Arguments.of("node features without a node side report nothing", Mode.NODE,
                        Set.of(Feature.STAGING, Feature.VOLUME_STATS, Feature.ONLINE_EXPANSION),
                        List.of("expansion:ONLINE"), List.of(), List.of()),
                Arguments.of("provisioning alone serves the volume RPCs", Mode.ALL, Set.of(Feature.PROVISIONING),
                        List.of("service:CONTROLLER_SERVICE"),
                        List.of("CREATE_DELETE_VOLUME", "LIST_VOLUMES", "GET_VOLUME", "GET_CAPACITY", "VOLUME_CONDITION"),
                        List.of()),
                Arguments.of("snapshots and clones", Mode.CONTROLLER, Set.of(Feature.SNAPSHOTS, Feature.CLONING),
                        List.of(), List.of("CREATE_DELETE_SNAPSHOT", "LIST_SNAPSHOTS", "GET_SNAPSHOT", "CLONE_VOLUME"),
                        List.of()),
                Arguments.of("no features report nothing", Mode.ALL, Set.of(), List.of(), List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void capabilitiesFollowModeAndFeatures(String name, Mode mode, Set<Feature> features, List<String> plugin,
                                           List<String> controller, List<String> node) {
        Capabilities capabilities = new Capabilities(mode, features);

        assertThat(plugin(capabilities)).containsExactlyElementsOf(plugin);
        assertThat(controller(capabilities)).containsExactlyElementsOf(controller);
        assertThat(node(capabilities)).containsExactlyElementsOf(node);
    }

    @Test
    void controllerCapabilitiesAreEmptyInNodeModeWhateverTheFeatures() {
        assertThat(new Capabilities(Mode.NODE, EnumSet.allOf(Feature.class)).controller()).isEmpty();
    }

    @Test
    void controllerPublishIsNeverReported() {
        for (Mode mode : Mode.values()) {
            assertThat(controller(new Capabilities(mode, EnumSet.allOf(Feature.class))))
                    .as(mode.name()).doesNotContain("PUBLISH_UNPUBLISH_VOLUME");
        }
    }

    @Test
    void nodeExpandVolumeNeedsAnExpansionFeatureAndNodeMode() {
        assertThat(new Capabilities(Mode.NODE, Set.of(Feature.PROVISIONING, Feature.VOLUME_TOPOLOGY)).node())
                .isEmpty();
        assertThat(new Capabilities(Mode.CONTROLLER, Set.of(Feature.ONLINE_EXPANSION, Feature.NODE_VOLUMES)).node()).isEmpty();
        assertThat(new Capabilities(Mode.NODE, Set.of(Feature.ONLINE_EXPANSION, Feature.NODE_VOLUMES)).node())
                .containsExactly(NodeServiceCapability.newBuilder()
                        .setRpc(NodeServiceCapability.RPC.newBuilder()
                                .setType(NodeServiceCapability.RPC.Type.EXPAND_VOLUME))
                        .build());
    }

    @Test
    void capabilitiesAreWholeProtocolMessages() {
        Capabilities capabilities = new Capabilities(Mode.ALL, Set.of(Feature.PROVISIONING));

        assertThat(capabilities.plugin()).containsExactly(PluginCapability.newBuilder()
                .setService(PluginCapability.Service.newBuilder()
                        .setType(PluginCapability.Service.Type.CONTROLLER_SERVICE))
                .build());
        assertThat(capabilities.controller()).first().isEqualTo(ControllerServiceCapability.newBuilder()
                .setRpc(ControllerServiceCapability.RPC.newBuilder()
                        .setType(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME))
                .build());
    }

    @Test
    void theFeatureSetIsCopied() {
        Set<Feature> features = EnumSet.of(Feature.PROVISIONING);
        Capabilities capabilities = new Capabilities(Mode.ALL, features);

        features.add(Feature.VOLUME_TOPOLOGY);

        assertThat(capabilities.features()).containsExactly(Feature.PROVISIONING);
        assertThat(plugin(capabilities)).containsExactly("service:CONTROLLER_SERVICE");
    }
}
