package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.block;
import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.publishRequest;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.CapacityRange;
import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.ControllerGrpc;
import csi.v1.GetVolumeGroupSnapshotRequest;
import csi.v1.GroupControllerGrpc;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGrpc;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which code the driver answers, end to end over the local backend, when a request is wrong in
 * two ways at once: the cases csi-sanity sends ("id"/"some-id" with "some/path", a known volume
 * with "some/path" or "/path/does/not/exist") and those where the backend's order decides (an
 * unknown volume before a capability it could not serve). The kubelet directory is given
 * explicitly, so the answers do not depend on {@code serve}'s default.
 */
class LocalErrorPrecedenceIT {

    private static final long MiB = 1L << 20;
    private static final String KUBELET = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize()
            .toString();
    /** A local volume ID of this node that names no volume. */
    private static final String NO_SUCH_VOLUME = "l1." + "0".repeat(32) + ".test-node";
    private static final VolumeCapability RWX = mount("ext4", Mode.MULTI_NODE_MULTI_WRITER);

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving("--kubelet-dir", KUBELET);

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(driver);

    /** An ext4 volume, created once and never staged by the table. */
    private static String volume;

    /** What a row calls with. */
    record Context(ControllerGrpc.ControllerBlockingStub controller, NodeGrpc.NodeBlockingStub node,
                   GroupControllerGrpc.GroupControllerBlockingStub group, String volume, Path work) {}

    interface Call {
        void on(Context context);
    }

    private Context context;

    @BeforeEach
    void setUp() {
        ControllerGrpc.ControllerBlockingStub controller = driver.driver().controller();
        if (volume == null) {
            volume = create(controller, "pvc-" + UUID.randomUUID(), 32 * MiB, mount("ext4"), Map.of());
        }
        context = new Context(controller, driver.driver().node(),
                GroupControllerGrpc.newBlockingStub(driver.driver().channel()).withDeadlineAfter(30, TimeUnit.SECONDS),
                volume, workspace.dir());
    }

    @AfterAll
    static void deleteTheVolume() {
        if (volume != null) {
            delete(driver.driver().controller(), volume);
        }
    }

    private static Arguments row(String name, Call call, Status.Code code, String fragment) {
        return Arguments.of(name, call, code, fragment);
    }

    private static NodeGetVolumeStatsRequest stats(String volumeId, String path) {
        return NodeGetVolumeStatsRequest.newBuilder().setVolumeId(volumeId).setVolumePath(path).build();
    }

    private static NodeExpandVolumeRequest.Builder expand(String volumeId, String path) {
        return NodeExpandVolumeRequest.newBuilder().setVolumeId(volumeId).setVolumePath(path);
    }

    private static CapacityRange range(long required, long limit) {
        return CapacityRange.newBuilder().setRequiredBytes(required).setLimitBytes(limit).build();
    }

    static Stream<Arguments> table() {
        return Stream.of(
                row("[error] NodeGetVolumeStats: unknown volume and relative path -> NOT_FOUND",
                        c -> c.node().nodeGetVolumeStats(stats("id", "some/path")), Status.Code.NOT_FOUND,
                        "volume_path must be an absolute path"),
                row("[error] NodeGetVolumeStats: known volume and relative path -> NOT_FOUND",
                        c -> c.node().nodeGetVolumeStats(stats(c.volume(), "some/path")), Status.Code.NOT_FOUND,
                        "is not staged or published there"),
                row("[error] NodeGetVolumeStats: known volume and a path outside the kubelet directory -> NOT_FOUND",
                        c -> c.node().nodeGetVolumeStats(stats(c.volume(), "/path/does/not/exist")),
                        Status.Code.NOT_FOUND, "must be inside " + KUBELET),
                row("[error] NodeGetVolumeStats: known volume not at an absolute path -> NOT_FOUND",
                        c -> c.node().nodeGetVolumeStats(stats(c.volume(), c.work().resolve("elsewhere").toString())),
                        Status.Code.NOT_FOUND, "is neither staged nor published at"),
                row("[error] NodeGetVolumeStats: well-formed ID of no volume at an absolute path -> NOT_FOUND",
                        c -> c.node().nodeGetVolumeStats(stats(NO_SUCH_VOLUME, c.work().resolve("x").toString())),
                        Status.Code.NOT_FOUND, NO_SUCH_VOLUME),
                row("[error] NodeGetVolumeStats: missing volume_id and relative path -> INVALID_ARGUMENT",
                        c -> c.node().nodeGetVolumeStats(stats("", "some/path")), Status.Code.INVALID_ARGUMENT,
                        "volume_id is required"),
                row("[error] NodeGetVolumeStats: unknown volume and missing volume_path -> INVALID_ARGUMENT",
                        c -> c.node().nodeGetVolumeStats(stats("id", "")), Status.Code.INVALID_ARGUMENT,
                        "volume_path is required"),
                row("[error] NodeExpandVolume: unknown volume and relative path -> NOT_FOUND",
                        c -> c.node().nodeExpandVolume(expand("some-id", "some/path").build()), Status.Code.NOT_FOUND,
                        "volume_path must be an absolute path"),
                row("[error] NodeExpandVolume: known volume and missing volume_path -> INVALID_ARGUMENT",
                        c -> c.node().nodeExpandVolume(expand(c.volume(), "").setVolumeCapability(mount("ext4")).build()),
                        Status.Code.INVALID_ARGUMENT, "volume_path is required"),
                row("[error] NodeExpandVolume: missing volume_id and a valid path -> INVALID_ARGUMENT",
                        c -> c.node().nodeExpandVolume(expand("", c.work().toString())
                                .setVolumeCapability(mount("ext4")).build()),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] NodeExpandVolume: known volume not at an absolute path -> NOT_FOUND",
                        c -> c.node().nodeExpandVolume(expand(c.volume(), c.work().resolve("elsewhere").toString()).build()),
                        Status.Code.NOT_FOUND, "is neither staged nor published at"),
                row("[error] NodeExpandVolume: known volume, relative path and limit below required -> OUT_OF_RANGE",
                        c -> c.node().nodeExpandVolume(expand(c.volume(), "some/path")
                                .setCapacityRange(range(2 * MiB, MiB)).build()),
                        Status.Code.OUT_OF_RANGE, "is less than capacity_range.required_bytes"),
                row("[error] NodeStageVolume: unknown volume and missing capability -> INVALID_ARGUMENT",
                        c -> c.node().nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(NO_SUCH_VOLUME)
                                .setStagingTargetPath(c.work().resolve("staging").toString()).build()),
                        Status.Code.INVALID_ARGUMENT, "volume_capability is required"),
                row("[error] NodeStageVolume: unknown volume and a malformed mount flag -> INVALID_ARGUMENT",
                        c -> stage(c.node(), NO_SUCH_VOLUME, c.work().resolve("staging"), mount("ext4",
                                VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER, "no atime")),
                        Status.Code.INVALID_ARGUMENT, "contains spaces"),
                row("[error] NodePublishVolume: unknown volume and a malformed mount flag -> INVALID_ARGUMENT",
                        c -> publish(c.node(), NO_SUCH_VOLUME, c.work().resolve("staging"), c.work().resolve("target"),
                                mount("ext4", VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER, "no atime")),
                        Status.Code.INVALID_ARGUMENT, "contains spaces"),
                row("[error] NodeStageVolume: known volume, unsupported capability and a malformed flag -> INVALID_ARGUMENT",
                        c -> stage(c.node(), c.volume(), c.work().resolve("staging"), mount("ext4",
                                VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER, "no atime")),
                        Status.Code.INVALID_ARGUMENT, "contains spaces"),
                row("[error] NodeStageVolume: unknown volume and unsupported capability -> NOT_FOUND",
                        c -> stage(c.node(), NO_SUCH_VOLUME, c.work().resolve("staging"), RWX), Status.Code.NOT_FOUND,
                        NO_SUCH_VOLUME),
                row("[error] NodeStageVolume: known volume and unsupported access mode -> FAILED_PRECONDITION",
                        c -> stage(c.node(), c.volume(), c.work().resolve("staging"), RWX),
                        Status.Code.FAILED_PRECONDITION, "MULTI_NODE_MULTI_WRITER is not supported"),
                row("[error] NodeStageVolume: filesystem volume staged as raw block -> FAILED_PRECONDITION",
                        c -> stage(c.node(), c.volume(), c.work().resolve("staging"), block()),
                        Status.Code.FAILED_PRECONDITION, "it cannot be used as raw block"),
                row("[error] NodePublishVolume: unknown volume and missing capability -> INVALID_ARGUMENT",
                        c -> c.node().nodePublishVolume(publishRequest(NO_SUCH_VOLUME, c.work().resolve("staging"),
                                c.work().resolve("target"), mount("ext4")).clearVolumeCapability().build()),
                        Status.Code.INVALID_ARGUMENT, "volume_capability is required"),
                row("[error] NodePublishVolume: known volume and no staging_target_path -> FAILED_PRECONDITION",
                        c -> publish(c.node(), c.volume(), null, c.work().resolve("target"), mount("ext4")),
                        Status.Code.FAILED_PRECONDITION, "staging_target_path is required"),
                row("[error] NodePublishVolume: unknown volume and unsupported capability -> NOT_FOUND",
                        c -> publish(c.node(), NO_SUCH_VOLUME, c.work().resolve("staging"), c.work().resolve("target"), RWX),
                        Status.Code.NOT_FOUND, NO_SUCH_VOLUME),
                row("[error] NodePublishVolume: known volume that is not staged -> FAILED_PRECONDITION",
                        c -> publish(c.node(), c.volume(), c.work().resolve("staging"), c.work().resolve("target"),
                                mount("ext4")),
                        Status.Code.FAILED_PRECONDITION, "is not staged at"),
                row("[error] ValidateVolumeCapabilities: unknown volume and unsupported capability -> NOT_FOUND",
                        c -> c.controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                                .setVolumeId(NO_SUCH_VOLUME).addVolumeCapabilities(RWX).build()),
                        Status.Code.NOT_FOUND, NO_SUCH_VOLUME),
                row("[error] ValidateVolumeCapabilities: known volume and missing capabilities -> INVALID_ARGUMENT",
                        c -> c.controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                                .setVolumeId(c.volume()).build()),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities are required"),
                row("[error] ControllerExpandVolume: missing volume_id and missing capacity_range -> INVALID_ARGUMENT",
                        c -> c.controller().controllerExpandVolume(ControllerExpandVolumeRequest.getDefaultInstance()),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] ControllerExpandVolume: unknown volume and limit below required -> OUT_OF_RANGE",
                        c -> c.controller().controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder()
                                .setVolumeId(NO_SUCH_VOLUME).setCapacityRange(range(2 * MiB, MiB)).build()),
                        Status.Code.OUT_OF_RANGE, "is less than capacity_range.required_bytes"),
                row("[error] ControllerExpandVolume: unknown volume -> NOT_FOUND",
                        c -> c.controller().controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder()
                                .setVolumeId(NO_SUCH_VOLUME).setCapacityRange(range(64 * MiB, 0)).build()),
                        Status.Code.NOT_FOUND, NO_SUCH_VOLUME),
                row("[error] GetVolumeGroupSnapshot: unknown group and a snapshot list -> NOT_FOUND",
                        c -> c.group().getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.newBuilder()
                                .setGroupSnapshotId("no-such-group").addSnapshotIds("no-such-snapshot").build()),
                        Status.Code.NOT_FOUND, "group snapshot no-such-group does not exist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void answersTheFirstProblem(String name, Call call, Status.Code code, String fragment) {
        assertAnswers(() -> call.on(context), code, fragment);
    }

    @Test
    void aPublishedVolumeIsNotFoundAtAnyOtherPath() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = create(context.controller(), "pvc-" + UUID.randomUUID(), 32 * MiB, capability, Map.of());
        Path staging = context.work().resolve("staging");
        Path target = context.work().resolve("pod/mount");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        NodeGrpc.NodeBlockingStub node = context.node();
        stage(node, id, staging, capability);
        try {
            publish(node, id, staging, target, capability);
            try {
                assertThat(node.nodeGetVolumeStats(stats(id, target.toString())).getUsageCount()).isEqualTo(2);
                // A link to the target, or through a link to its directory, is not where the volume is.
                Path link = Files.createSymbolicLink(context.work().resolve("link-to-mount"), target);
                Path linkedPod = Files.createSymbolicLink(context.work().resolve("link-to-pod"), target.getParent());
                for (String elsewhere : new String[] {"some/path", "/path/does/not/exist",
                        context.work().resolve("pod/other").toString(), target + "/../mount", link.toString(),
                        linkedPod.resolve("mount").toString()}) {
                    assertAnswers(() -> node.nodeGetVolumeStats(stats(id, elsewhere)), Status.Code.NOT_FOUND, id);
                    assertAnswers(() -> node.nodeExpandVolume(expand(id, elsewhere).build()), Status.Code.NOT_FOUND, id);
                }
                assertAnswers(() -> publish(node, id, staging, context.work().resolve("pod/rwx"), RWX),
                        Status.Code.FAILED_PRECONDITION, "MULTI_NODE_MULTI_WRITER is not supported");
            } finally {
                unpublish(node, id, target);
            }
        } finally {
            unstage(node, id, staging);
            delete(context.controller(), id);
        }
    }

    private static void assertAnswers(Runnable call, Status.Code code, String fragment) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);

        assertThat(e).as("expected " + code).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).contains(fragment);
    }
}
