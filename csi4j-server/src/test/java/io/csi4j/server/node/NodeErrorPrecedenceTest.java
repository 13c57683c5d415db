package io.csi4j.server.node;

import static io.csi4j.server.TestServers.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.CapacityRange;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.server.FixtureBackend;
import io.csi4j.server.TestServers;
import io.csi4j.server.config.DriverName;
import io.csi4j.server.config.NodeIdentity;
import io.csi4j.server.config.ServerConfig;
import io.csi4j.server.endpoint.Endpoint;
import io.csi4j.spi.Feature;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which code the Node service answers when a request is wrong in two ways at once, RPC by RPC,
 * through a real server over an {@link InMemoryNode}: required fields, then their shape, then
 * NOT_FOUND, then what depends on the volume (see {@code io.csi4j.server.status}). The unknown
 * volumes and relative paths are the ones csi-sanity sends. No malformed path reaches the backend.
 */
class NodeErrorPrecedenceTest {

    private static final Path KUBELET = Path.of("/var/lib/kubelet");
    private static final String STAGING = "/var/lib/kubelet/plugins/csi4j/staging/vol-fs";
    private static final String TARGET = "/var/lib/kubelet/pods/p1/volumes/vol-fs/mount";
    private static final String ELSEWHERE = "/var/lib/kubelet/pods/p2/volumes/vol-fs/mount";
    private static final String FS = "vol-fs";
    private static final String BLOCK = "vol-block";

    private static final VolumeCapability RWO = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
            .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER))
            .build();
    private static final VolumeCapability RWX = RWO.toBuilder()
            .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.MULTI_NODE_MULTI_WRITER)).build();
    private static final VolumeCapability NO_ACCESS_MODE = RWO.toBuilder().clearAccessMode().build();
    private static final VolumeCapability NO_ACCESS_TYPE = RWO.toBuilder().clearAccessType().build();

    @TempDir
    Path dir;
    @RegisterExtension
    final TestServers servers = new TestServers();
    private final InMemoryNode backend = new InMemoryNode();
    private NodeGrpc.NodeBlockingStub node;

    @BeforeEach
    void startServer() throws IOException {
        backend.add(FS, false, Path.of(STAGING), Path.of(TARGET));
        backend.add(BLOCK, true, null);
        Path socket = dir.resolve("csi.sock");
        ServerConfig config = new ServerConfig(new Endpoint.Unix(socket), 0600, Duration.ofSeconds(2),
                io.csi4j.server.config.Mode.NODE, DriverName.DEFAULT, "test", new NodeIdentity("n1"), Map.of(),
                Optional.of(KUBELET));
        servers.start(config, new FixtureBackend(
                Set.of(Feature.NODE_VOLUMES, Feature.STAGING, Feature.VOLUME_STATS, Feature.ONLINE_EXPANSION),
                Optional.empty(), Optional.empty(), Optional.of(backend)));
        node = NodeGrpc.newBlockingStub(servers.channel(socket)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Arguments row(String name, Consumer<NodeGrpc.NodeBlockingStub> call, Status.Code code,
                                 String fragment) {
        return Arguments.of(name, call, code, fragment);
    }

    private static CapacityRange range(long required, long limit) {
        return CapacityRange.newBuilder().setRequiredBytes(required).setLimitBytes(limit).build();
    }

    // ---- building requests

    private static Consumer<NodeGrpc.NodeBlockingStub> stats(String volumeId, String path) {
        return stats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(volumeId).setVolumePath(path));
    }

    private static Consumer<NodeGrpc.NodeBlockingStub> stats(NodeGetVolumeStatsRequest.Builder request) {
        return n -> n.nodeGetVolumeStats(request.build());
    }

    private static NodeExpandVolumeRequest.Builder expand(String volumeId, String path) {
        return NodeExpandVolumeRequest.newBuilder().setVolumeId(volumeId).setVolumePath(path);
    }

    private static Consumer<NodeGrpc.NodeBlockingStub> expanding(NodeExpandVolumeRequest.Builder request) {
        return n -> n.nodeExpandVolume(request.build());
    }

    private static NodeStageVolumeRequest.Builder stage(String volumeId, String staging, VolumeCapability capability) {
        NodeStageVolumeRequest.Builder request = NodeStageVolumeRequest.newBuilder()
                .setVolumeId(volumeId).setStagingTargetPath(staging);
        return capability == null ? request : request.setVolumeCapability(capability);
    }

    private static Consumer<NodeGrpc.NodeBlockingStub> staging(NodeStageVolumeRequest.Builder request) {
        return n -> n.nodeStageVolume(request.build());
    }

    private static NodePublishVolumeRequest.Builder publish(String volumeId, String staging, String target,
                                                           VolumeCapability capability) {
        NodePublishVolumeRequest.Builder request = NodePublishVolumeRequest.newBuilder()
                .setVolumeId(volumeId).setStagingTargetPath(staging).setTargetPath(target);
        return capability == null ? request : request.setVolumeCapability(capability);
    }

    private static Consumer<NodeGrpc.NodeBlockingStub> publishing(NodePublishVolumeRequest.Builder request) {
        return n -> n.nodePublishVolume(request.build());
    }

    // ---- the tables

    static Stream<Arguments> nodeGetVolumeStats() {
        return Stream.of(
                row("[error] missing volume_id and relative path -> INVALID_ARGUMENT", stats("", "some/path"),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] missing volume_id and missing volume_path -> INVALID_ARGUMENT", stats("", ""),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] unknown volume and missing volume_path -> INVALID_ARGUMENT", stats("id", ""),
                        Status.Code.INVALID_ARGUMENT, "volume_path is required"),
                row("[error] unknown volume and relative path -> NOT_FOUND", stats("id", "some/path"),
                        Status.Code.NOT_FOUND, "volume_path must be an absolute path: some/path"),
                row("[error] known volume and relative path -> NOT_FOUND", stats(FS, "some/path"),
                        Status.Code.NOT_FOUND, "volume vol-fs is not staged or published there"),
                row("[error] known volume and a path outside the kubelet directory -> NOT_FOUND",
                        stats(FS, "/path/does/not/exist"), Status.Code.NOT_FOUND, "must be inside /var/lib/kubelet"),
                row("[error] known volume and a path with '..' -> NOT_FOUND", stats(FS, TARGET + "/../../p2"),
                        Status.Code.NOT_FOUND, "must be a normalised path"),
                row("[error] known volume not at an absolute path -> NOT_FOUND", stats(FS, ELSEWHERE),
                        Status.Code.NOT_FOUND, "neither staged nor published at " + ELSEWHERE),
                row("[error] unknown volume at an absolute path -> NOT_FOUND", stats("some-id", TARGET),
                        Status.Code.NOT_FOUND, "volume some-id does not exist"),
                row("[error] unknown volume and relative staging_target_path -> INVALID_ARGUMENT",
                        stats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId("id").setVolumePath("some/path")
                                .setStagingTargetPath("staging")),
                        Status.Code.INVALID_ARGUMENT, "staging_target_path must be an absolute path"));
    }

    static Stream<Arguments> nodeExpandVolume() {
        return Stream.of(
                row("[error] missing volume_id and relative path -> INVALID_ARGUMENT",
                        expanding(expand("", "some/path").setVolumeCapability(RWO)),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] unknown volume and missing volume_path -> INVALID_ARGUMENT",
                        expanding(expand("some-id", "").setVolumeCapability(RWO)),
                        Status.Code.INVALID_ARGUMENT, "volume_path is required"),
                row("[error] unknown volume and relative path -> NOT_FOUND", expanding(expand("some-id", "some/path")),
                        Status.Code.NOT_FOUND, "volume_path must be an absolute path: some/path"),
                row("[error] known volume and relative path -> NOT_FOUND", expanding(expand(FS, "some/path")),
                        Status.Code.NOT_FOUND, "volume vol-fs is not staged or published there"),
                row("[error] known volume and a path outside the kubelet directory -> NOT_FOUND",
                        expanding(expand(FS, "/path/does/not/exist")), Status.Code.NOT_FOUND, "must be inside"),
                row("[error] known volume not at an absolute path -> NOT_FOUND", expanding(expand(FS, ELSEWHERE)),
                        Status.Code.NOT_FOUND, "neither staged nor published at " + ELSEWHERE),
                row("[error] unknown volume at an absolute path -> NOT_FOUND", expanding(expand("some-id", TARGET)),
                        Status.Code.NOT_FOUND, "volume some-id does not exist"),
                row("[error] relative path and capability without access_mode -> INVALID_ARGUMENT",
                        expanding(expand("some-id", "some/path").setVolumeCapability(NO_ACCESS_MODE)),
                        Status.Code.INVALID_ARGUMENT, "volume_capability.access_mode is required"),
                row("[error] relative path and relative staging_target_path -> INVALID_ARGUMENT",
                        expanding(expand("some-id", "some/path").setStagingTargetPath("staging")),
                        Status.Code.INVALID_ARGUMENT, "staging_target_path must be an absolute path"),
                row("[error] unknown volume and negative required_bytes -> INVALID_ARGUMENT",
                        expanding(expand("some-id", TARGET).setCapacityRange(range(-1, 0))),
                        Status.Code.INVALID_ARGUMENT, "capacity bounds must not be negative"),
                row("[error] unknown volume and limit below required -> OUT_OF_RANGE",
                        expanding(expand("some-id", TARGET).setCapacityRange(range(2000, 1000))),
                        Status.Code.OUT_OF_RANGE, "is less than capacity_range.required_bytes"),
                row("[error] relative path and limit below required -> OUT_OF_RANGE",
                        expanding(expand(FS, "some/path").setCapacityRange(range(2000, 1000))),
                        Status.Code.OUT_OF_RANGE, "is less than capacity_range.required_bytes"),
                row("[error] known volume at its path and more than its size -> OUT_OF_RANGE",
                        expanding(expand(FS, TARGET).setCapacityRange(range(2 * InMemoryNode.SIZE, 0))),
                        Status.Code.OUT_OF_RANGE, "grow it with ControllerExpandVolume first"));
    }

    static Stream<Arguments> nodeStageVolume() {
        return Stream.of(
                row("[error] missing volume_id and missing capability -> INVALID_ARGUMENT",
                        staging(stage("", STAGING, null)), Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] unknown volume and missing staging_target_path -> INVALID_ARGUMENT",
                        staging(stage("some-id", "", RWO)), Status.Code.INVALID_ARGUMENT,
                        "staging_target_path is required"),
                row("[error] unknown volume and missing capability -> INVALID_ARGUMENT",
                        staging(stage("some-id", STAGING, null)), Status.Code.INVALID_ARGUMENT,
                        "volume_capability is required"),
                row("[error] relative staging_target_path and missing capability -> INVALID_ARGUMENT (required first)",
                        staging(stage("some-id", "staging", null)), Status.Code.INVALID_ARGUMENT,
                        "volume_capability is required"),
                row("[error] unknown volume and relative staging_target_path -> INVALID_ARGUMENT",
                        staging(stage("some-id", "staging", RWO)), Status.Code.INVALID_ARGUMENT,
                        "staging_target_path must be an absolute path"),
                row("[error] unknown volume and capability without access_type -> INVALID_ARGUMENT",
                        staging(stage("some-id", STAGING, NO_ACCESS_TYPE)), Status.Code.INVALID_ARGUMENT,
                        "volume_capability.access_type is required"),
                row("[error] unknown volume and unsupported capability -> NOT_FOUND",
                        staging(stage("some-id", STAGING, RWX)), Status.Code.NOT_FOUND, "volume some-id does not exist"),
                row("[error] known volume and unsupported capability -> FAILED_PRECONDITION",
                        staging(stage(FS, STAGING, RWX)), Status.Code.FAILED_PRECONDITION,
                        "access mode MULTI_NODE_MULTI_WRITER is not supported"),
                row("[error] block volume staged as a filesystem -> FAILED_PRECONDITION",
                        staging(stage(BLOCK, STAGING, RWO)), Status.Code.FAILED_PRECONDITION, "is a raw block volume"));
    }

    static Stream<Arguments> nodeUnstageVolume() {
        return Stream.of(
                row("[error] missing volume_id and relative path -> INVALID_ARGUMENT",
                        n -> n.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                                .setStagingTargetPath("some/path").build()),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] unknown volume and missing staging_target_path -> INVALID_ARGUMENT",
                        n -> n.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId("some-id").build()),
                        Status.Code.INVALID_ARGUMENT, "staging_target_path is required"),
                row("[error] unknown volume and relative staging_target_path -> INVALID_ARGUMENT",
                        n -> n.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId("some-id")
                                .setStagingTargetPath("some/path").build()),
                        Status.Code.INVALID_ARGUMENT, "staging_target_path must be an absolute path"));
    }

    static Stream<Arguments> nodePublishVolume() {
        return Stream.of(
                row("[error] missing volume_id and missing target_path -> INVALID_ARGUMENT",
                        publishing(publish("", STAGING, "", RWO)), Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] unknown volume and missing target_path -> INVALID_ARGUMENT",
                        publishing(publish("some-id", STAGING, "", RWO)), Status.Code.INVALID_ARGUMENT,
                        "target_path is required"),
                row("[error] unknown volume and missing capability -> INVALID_ARGUMENT",
                        publishing(publish("some-id", STAGING, TARGET, null)), Status.Code.INVALID_ARGUMENT,
                        "volume_capability is required"),
                row("[error] relative target_path and missing capability -> INVALID_ARGUMENT (required first)",
                        publishing(publish("some-id", STAGING, "some/path", null)), Status.Code.INVALID_ARGUMENT,
                        "volume_capability is required"),
                row("[error] unknown volume and relative target_path -> INVALID_ARGUMENT",
                        publishing(publish("some-id", STAGING, "some/path", RWO)), Status.Code.INVALID_ARGUMENT,
                        "target_path must be an absolute path"),
                row("[error] unknown volume and capability without access_mode -> INVALID_ARGUMENT",
                        publishing(publish("some-id", STAGING, TARGET, NO_ACCESS_MODE)), Status.Code.INVALID_ARGUMENT,
                        "volume_capability.access_mode is required"),
                row("[error] unknown volume and target_path equal to staging_target_path -> INVALID_ARGUMENT",
                        publishing(publish("some-id", STAGING, STAGING, RWO)), Status.Code.INVALID_ARGUMENT,
                        "target_path must differ from staging_target_path"),
                row("[error] relative target_path and no staging_target_path -> INVALID_ARGUMENT",
                        publishing(publish("some-id", "", "some/path", RWO)), Status.Code.INVALID_ARGUMENT,
                        "target_path must be an absolute path"),
                row("[error] unknown volume and no staging_target_path -> FAILED_PRECONDITION",
                        publishing(publish("some-id", "", TARGET, RWO)), Status.Code.FAILED_PRECONDITION,
                        "staging_target_path is required: this driver stages volumes"),
                row("[error] unknown volume and unsupported capability -> NOT_FOUND",
                        publishing(publish("some-id", STAGING, TARGET, RWX)), Status.Code.NOT_FOUND,
                        "volume some-id does not exist"),
                row("[error] known volume and unsupported capability -> FAILED_PRECONDITION",
                        publishing(publish(FS, STAGING, TARGET, RWX)), Status.Code.FAILED_PRECONDITION,
                        "access mode MULTI_NODE_MULTI_WRITER is not supported"),
                row("[error] known volume not staged at staging_target_path -> FAILED_PRECONDITION",
                        publishing(publish(FS, ELSEWHERE, TARGET, RWO)), Status.Code.FAILED_PRECONDITION,
                        "is not staged at " + ELSEWHERE));
    }

    static Stream<Arguments> nodeUnpublishVolume() {
        return Stream.of(
                row("[error] missing volume_id and relative path -> INVALID_ARGUMENT",
                        n -> n.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                                .setTargetPath("some/path").build()),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] unknown volume and missing target_path -> INVALID_ARGUMENT",
                        n -> n.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId("some-id").build()),
                        Status.Code.INVALID_ARGUMENT, "target_path is required"),
                row("[error] unknown volume and relative target_path -> INVALID_ARGUMENT",
                        n -> n.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId("some-id")
                                .setTargetPath("some/path").build()),
                        Status.Code.INVALID_ARGUMENT, "target_path must be an absolute path"));
    }

    private void assertAnswers(Consumer<NodeGrpc.NodeBlockingStub> call, Status.Code code, String fragment) {
        Status status = statusOf(() -> call.accept(node));

        assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
        assertThat(status.getDescription()).contains(fragment);
        assertThat(backend.paths()).as("paths that reached the backend")
                .allMatch(path -> path.isAbsolute() && path.equals(path.normalize()) && path.startsWith(KUBELET));
    }

    @Test
    void wellFormedRequestsForAVolumeWhereItIsSucceed() {
        // The other side of every table: the fixture is not NOT_FOUND for everything.
        assertThat(node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(FS)
                .setVolumePath(TARGET).setStagingTargetPath(STAGING).build()).getUsageCount()).isEqualTo(1);
        assertThat(node.nodeExpandVolume(expand(FS, STAGING).setCapacityRange(range(InMemoryNode.SIZE, 0))
                .setVolumeCapability(RWO).build()).getCapacityBytes()).isEqualTo(InMemoryNode.SIZE);
        node.nodePublishVolume(publish(FS, STAGING, ELSEWHERE, RWO).build());
        assertThat(backend.paths()).contains(Path.of(TARGET), Path.of(STAGING), Path.of(ELSEWHERE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeGetVolumeStats")
    void nodeGetVolumeStatsAnswersTheFirstProblem(String name, Consumer<NodeGrpc.NodeBlockingStub> call,
                                                  Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeExpandVolume")
    void nodeExpandVolumeAnswersTheFirstProblem(String name, Consumer<NodeGrpc.NodeBlockingStub> call,
                                                Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeStageVolume")
    void nodeStageVolumeAnswersTheFirstProblem(String name, Consumer<NodeGrpc.NodeBlockingStub> call,
                                               Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeUnstageVolume")
    void nodeUnstageVolumeAnswersTheFirstProblem(String name, Consumer<NodeGrpc.NodeBlockingStub> call,
                                                 Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodePublishVolume")
    void nodePublishVolumeAnswersTheFirstProblem(String name, Consumer<NodeGrpc.NodeBlockingStub> call,
                                                 Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeUnpublishVolume")
    void nodeUnpublishVolumeAnswersTheFirstProblem(String name, Consumer<NodeGrpc.NodeBlockingStub> call,
                                                   Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }
}
