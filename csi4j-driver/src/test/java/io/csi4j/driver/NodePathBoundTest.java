package io.csi4j.driver;

import static io.csi4j.driver.Drivers.minimalCreate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.CapacityRange;
import csi.v1.DeleteVolumeRequest;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnstageVolumeRequest;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where node calls may put their paths: by default only inside /var/lib/kubelet, as on a real
 * node, so a caller of the socket cannot have the driver mount, unmount or remove anything
 * elsewhere; {@code --kubelet-dir none} lifts the bound for a node driven by hand.
 */
class NodePathBoundTest {

    private static final Path KUBELET = Path.of("/var/lib/kubelet/plugins/kubernetes.io/csi/local.csi4j.io/x");

    @RegisterExtension
    static final CsiDriverExtension onDefaults = CsiDriverExtension.servingOnTheDefaultKubeletDir();

    @RegisterExtension
    static final CsiDriverExtension unbounded = CsiDriverExtension.serving("--kubelet-dir", "none");

    /** A real volume on each driver: were a path not refused, the call would reach it. */
    private static String bounded;
    private static String free;

    /** Outside /var/lib/kubelet: JUnit's temp directory. */
    @TempDir
    Path outside;

    @BeforeAll
    static void createVolumes() {
        bounded = onDefaults.driver().controller().createVolume(minimalCreate("pvc-bounded").build()).getVolume().getVolumeId();
        free = unbounded.driver().controller().createVolume(minimalCreate("pvc-free").build()).getVolume().getVolumeId();
    }

    @AfterAll
    static void deleteVolumes() {
        onDefaults.driver().controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(bounded).build());
        unbounded.driver().controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(free).build());
    }

    /** A case: the call (on a stub, with a directory outside the bound) and the field it must name. */
    static Stream<Arguments> callsWithAPathOutside() {
        return Stream.of(
                refused("stage", "staging_target_path", (node, o) -> node.nodeStageVolume(NodeStageVolumeRequest.newBuilder()
                        .setVolumeId(bounded).setStagingTargetPath(o.resolve("staging").toString())
                        .setVolumeCapability(NodeCalls.mount("ext4")).build())),
                refused("publish, target outside", "target_path", (node, o) -> node.nodePublishVolume(
                        NodeCalls.publishRequest(bounded, KUBELET.resolve("globalmount"), o.resolve("target"),
                                NodeCalls.mount("ext4")).build())),
                refused("publish, staging outside", "staging_target_path", (node, o) -> node.nodePublishVolume(
                        NodeCalls.publishRequest(bounded, o.resolve("staging"), KUBELET.resolve("mount"),
                                NodeCalls.mount("ext4")).build())),
                refused("unstage", "staging_target_path", (node, o) -> node.nodeUnstageVolume(NodeUnstageVolumeRequest
                        .newBuilder().setVolumeId(bounded).setStagingTargetPath(o.resolve("staging").toString()).build())),
                refused("unpublish", "target_path", (node, o) -> node.nodeUnpublishVolume(NodeUnpublishVolumeRequest
                        .newBuilder().setVolumeId(bounded).setTargetPath(o.resolve("target").toString()).build())),
                notThere("stats", (node, o) -> node.nodeGetVolumeStats(NodeGetVolumeStatsRequest
                        .newBuilder().setVolumeId(bounded).setVolumePath(o.resolve("target").toString()).build())),
                refused("stats, staging outside", "staging_target_path", (node, o) -> node.nodeGetVolumeStats(
                        NodeGetVolumeStatsRequest.newBuilder().setVolumeId(bounded)
                                .setVolumePath(KUBELET.resolve("mount").toString())
                                .setStagingTargetPath(o.resolve("staging").toString()).build())),
                notThere("expand", (node, o) -> node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder()
                        .setVolumeId(bounded).setVolumePath(o.resolve("target").toString())
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32L << 20)).build())),
                refused("expand, staging outside", "staging_target_path", (node, o) -> node.nodeExpandVolume(
                        NodeExpandVolumeRequest.newBuilder().setVolumeId(bounded)
                                .setVolumePath(KUBELET.resolve("mount").toString())
                                .setStagingTargetPath(o.resolve("staging").toString())
                                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32L << 20)).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callsWithAPathOutside")
    void byDefaultAPathOutsideVarLibKubeletIsRefused(String what, Status.Code code, String message,
                                                     BiConsumer<NodeGrpc.NodeBlockingStub, Path> call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> call.accept(onDefaults.driver().node(), outside));

        assertThat(e).as("the call was refused").isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).contains(message + " must be inside /var/lib/kubelet: " + outside);
    }

    @Test
    void refusedUnpublishAndUnstageLeaveWhatIsOutsideAlone() throws IOException {
        Path target = Files.createDirectory(outside.resolve("target"));
        Path kept = Files.writeString(target.resolve("kept"), "not the driver's");
        NodeGrpc.NodeBlockingStub node = onDefaults.driver().node();

        assertThat(codeOf(() -> node.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(bounded).setTargetPath(target.toString()).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(codeOf(() -> node.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId(bounded).setStagingTargetPath(target.toString()).build()))).isEqualTo(Status.Code.INVALID_ARGUMENT);

        assertThat(kept).hasContent("not the driver's");
    }

    @Test
    void kubeletDirNoneAcceptsPathsAnywhere() {
        NodeGrpc.NodeBlockingStub node = unbounded.driver().node();

        // neither was staged or published there: both succeed, as CSI asks of a repeated call
        node.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(free).setTargetPath(outside.resolve("target").toString()).build());
        node.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId(free).setStagingTargetPath(outside.resolve("staging").toString()).build());
    }

    @Test
    void byDefaultAPathInsideVarLibKubeletPasses() {
        // it reaches the backend, which has nothing staged there: unstage succeeds, as CSI asks of a repeat
        onDefaults.driver().node().nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId(bounded).setStagingTargetPath(KUBELET.resolve("globalmount").toString()).build());
    }

    private static Status.Code codeOf(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        return e == null ? Status.Code.OK : e.getStatus().getCode();
    }

    private static Arguments refused(String what, String field, BiConsumer<NodeGrpc.NodeBlockingStub, Path> call) {
        return Arguments.of(what, Status.Code.INVALID_ARGUMENT, field, call);
    }

    /** A volume_path outside the bound: no volume of ours can be there, which the spec's table calls NOT_FOUND. */
    private static Arguments notThere(String what, BiConsumer<NodeGrpc.NodeBlockingStub, Path> call) {
        return Arguments.of(what, Status.Code.NOT_FOUND, "is not staged or published there: volume_path", call);
    }
}
