package io.csi4j.driver;

import static io.csi4j.driver.Drivers.minimalCreate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerServiceCapability;
import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginInfoRequest;
import csi.v1.NodeGetInfoRequest;
import csi.v1.PluginCapability;
import csi.v1.Topology;
import csi.v1.Volume;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ModesTest {

    /** What a driver that serves the Controller service over the local backend reports, in order. */
    private static final List<ControllerServiceCapability> VOLUME_RPCS = List.of(
            rpc(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME),
            rpc(ControllerServiceCapability.RPC.Type.LIST_VOLUMES),
            rpc(ControllerServiceCapability.RPC.Type.GET_VOLUME),
            rpc(ControllerServiceCapability.RPC.Type.GET_CAPACITY),
            rpc(ControllerServiceCapability.RPC.Type.VOLUME_CONDITION),
            rpc(ControllerServiceCapability.RPC.Type.CREATE_DELETE_SNAPSHOT),
            rpc(ControllerServiceCapability.RPC.Type.LIST_SNAPSHOTS),
            rpc(ControllerServiceCapability.RPC.Type.GET_SNAPSHOT),
            rpc(ControllerServiceCapability.RPC.Type.CLONE_VOLUME),
            rpc(ControllerServiceCapability.RPC.Type.EXPAND_VOLUME));

    @RegisterExtension
    static final CsiDriverExtension node = CsiDriverExtension.serving("--mode", "node");

    @RegisterExtension
    static final CsiDriverExtension controller = CsiDriverExtension.serving("--mode", "controller");

    @RegisterExtension
    static final CsiDriverExtension all = CsiDriverExtension.serving("--mode", "all");

    @Test
    void nodeModeDoesNotServeTheControllerService() {
        assertThat(codeOf(() -> node.driver().controller()
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void nodeModeAnswersNodeGetInfoWithTheNodeId() {
        assertThat(node.driver().node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
                .isEqualTo("test-node");
    }

    @Test
    void nodeModeIsNamedInTheManifest() {
        assertThat(node.driver().identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getManifestMap())
                .containsEntry("mode", "node");
    }

    @Test
    void controllerModeDoesNotServeTheNodeService() {
        assertThat(codeOf(() -> controller.driver().node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void controllerModeAnswersControllerGetCapabilitiesWithTheVolumeRpcs() {
        assertThat(controller.driver().controller()
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .isEqualTo(VOLUME_RPCS);
    }

    @Test
    void controllerModeIsNamedInTheManifest() {
        assertThat(controller.driver().identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance())
                .getManifestMap()).containsEntry("mode", "controller");
    }

    @Test
    void allModeServesBothControllerAndNode() {
        assertThat(all.driver().controller()
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .isEqualTo(VOLUME_RPCS);
        assertThat(all.driver().node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
                .isEqualTo("test-node");
    }

    @Test
    void createVolumeIsServedInModesAllAndController() {
        for (CsiDriverExtension served : List.of(all, controller)) {
            Volume volume = served.driver().controller().createVolume(minimalCreate("pvc-modes").build()).getVolume();

            assertThat(volume.getVolumeId()).matches("l1\\.[0-9a-f]{32}\\.test-node");
            assertThat(volume.getCapacityBytes()).isEqualTo(16L << 20);
            assertThat(volume.getAccessibleTopologyList()).containsExactly(
                    Topology.newBuilder().putSegments("topology.csi4j.io/node", "test-node").build());
        }
    }

    @Test
    void nodeModeAnswersCreateVolumeUnimplemented() {
        assertThat(codeOf(() -> node.driver().controller().createVolume(minimalCreate("pvc-modes-node").build())))
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void pluginCapabilitiesFollowTheMode() {
        PluginCapability controllerService = service(PluginCapability.Service.Type.CONTROLLER_SERVICE);
        PluginCapability topology = service(PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS);
        PluginCapability groups = service(PluginCapability.Service.Type.GROUP_CONTROLLER_SERVICE);
        PluginCapability online = PluginCapability.newBuilder().setVolumeExpansion(PluginCapability.VolumeExpansion
                .newBuilder().setType(PluginCapability.VolumeExpansion.Type.ONLINE)).build();

        assertThat(pluginCapabilities(all)).isEqualTo(List.of(controllerService, topology, groups, online));
        assertThat(pluginCapabilities(controller)).isEqualTo(List.of(controllerService, topology, groups, online));
        assertThat(pluginCapabilities(node)).isEqualTo(List.of(topology, online));
    }

    @Test
    void nodeGetInfoReportsTheNodeTopology() {
        assertThat(node.driver().node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getAccessibleTopology())
                .isEqualTo(Topology.newBuilder().putSegments("topology.csi4j.io/node", "test-node").build());
    }

    private static List<PluginCapability> pluginCapabilities(CsiDriverExtension served) {
        return served.driver().identity().getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList();
    }

    private static PluginCapability service(PluginCapability.Service.Type type) {
        return PluginCapability.newBuilder().setService(PluginCapability.Service.newBuilder().setType(type)).build();
    }

    private static ControllerServiceCapability rpc(ControllerServiceCapability.RPC.Type type) {
        return ControllerServiceCapability.newBuilder()
                .setRpc(ControllerServiceCapability.RPC.newBuilder().setType(type)).build();
    }

    private static Status.Code codeOf(ThrowingCallable call) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("the call should have failed").isNotNull();
        return failure.getStatus().getCode();
    }
}
