package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.GetPluginInfoRequest;
import csi.v1.NodeGetInfoRequest;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ModesTest {

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
    void controllerModeAnswersControllerGetCapabilitiesWithNoCapability() {
        assertThat(controller.driver().controller()
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .isEqualTo(List.of());
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
                .isEqualTo(List.of());
        assertThat(all.driver().node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
                .isEqualTo("test-node");
    }

    @Test
    void createVolumeIsNotServedYet() {
        assertThat(codeOf(() -> all.driver().controller()
                .createVolume(CreateVolumeRequest.newBuilder().setName("pvc-modes").build())))
                .isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    private static Status.Code codeOf(ThrowingCallable call) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("the call should have failed").isNotNull();
        return failure.getStatus().getCode();
    }
}
