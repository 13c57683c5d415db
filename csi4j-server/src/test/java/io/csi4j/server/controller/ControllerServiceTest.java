package io.csi4j.server.controller;

import static io.csi4j.server.TestServers.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Int64Value;
import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGetVolumeRequest;
import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ControllerGrpc;
import csi.v1.ControllerServiceCapability;
import csi.v1.CreateVolumeRequest;
import csi.v1.CreateVolumeResponse;
import csi.v1.DeleteVolumeRequest;
import csi.v1.GetCapacityRequest;
import csi.v1.GetCapacityResponse;
import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import csi.v1.TopologyRequirement;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.ValidateVolumeCapabilitiesResponse;
import csi.v1.VolumeCapability.AccessMode.Mode;
import csi.v1.VolumeCondition;
import csi.v1.VolumeContentSource;
import io.csi4j.server.FixtureBackend;
import io.csi4j.server.TestServers;
import io.csi4j.server.config.Capabilities;
import io.csi4j.server.config.DriverName;
import io.csi4j.server.config.NodeIdentity;
import io.csi4j.server.config.ServerConfig;
import io.csi4j.server.endpoint.Endpoint;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.CapacityReport;
import io.csi4j.spi.Feature;
import io.csi4j.spi.Topology;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * The Controller service through a real server on a unix socket, called by a real gRPC client,
 * over an {@link InMemoryProvisioner}: requests are validated with the codes and messages the CSI
 * spec asks for, and the provisioner receives exactly the converted values.
 */
class ControllerServiceTest {

    private static final Set<Feature> FEATURES = Set.of(Feature.PROVISIONING, Feature.VOLUME_TOPOLOGY);
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private final InMemoryProvisioner provisioner = new InMemoryProvisioner();
    @RegisterExtension
    final TestServers servers = new TestServers();
    private ControllerGrpc.ControllerBlockingStub controller;

    @BeforeEach
    void startServer() throws IOException {
        controller = serve(dir.resolve("csi.sock"), Optional.of(provisioner));
    }

    private ControllerGrpc.ControllerBlockingStub serve(Path socket, Optional<VolumeProvisioner> offered)
            throws IOException {
        ServerConfig config = new ServerConfig(new Endpoint.Unix(socket), 0600, Duration.ofSeconds(2),
                io.csi4j.server.config.Mode.ALL, DriverName.DEFAULT, "test", new NodeIdentity("n1"), Map.of(), java.util.Optional.empty());
        servers.start(config, new FixtureBackend(FEATURES, offered));
        return ControllerGrpc.newBlockingStub(servers.channel(socket)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private void assertFails(Runnable call, Status.Code code, String message) {
        Status status = statusOf(call);
        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).isEqualTo(message);
    }

    // ---- building requests

    static csi.v1.VolumeCapability mount(String fsType, Mode mode, String... flags) {
        return csi.v1.VolumeCapability.newBuilder()
                .setMount(csi.v1.VolumeCapability.MountVolume.newBuilder().setFsType(fsType)
                        .addAllMountFlags(List.of(flags)))
                .setAccessMode(csi.v1.VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    static csi.v1.VolumeCapability block(Mode mode) {
        return csi.v1.VolumeCapability.newBuilder()
                .setBlock(csi.v1.VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(csi.v1.VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    private static final csi.v1.VolumeCapability EXT4_RWO = mount("ext4", Mode.SINGLE_NODE_WRITER);
    private static final csi.v1.VolumeCapability NO_ACCESS_TYPE = EXT4_RWO.toBuilder().clearAccessType().build();
    private static final csi.v1.VolumeCapability NO_ACCESS_MODE = EXT4_RWO.toBuilder().clearAccessMode().build();
    private static final csi.v1.VolumeCapability UNKNOWN_MODE = mount("ext4", Mode.UNKNOWN);
    private static final csi.v1.VolumeCapability FUTURE_MODE = EXT4_RWO.toBuilder()
            .setAccessMode(csi.v1.VolumeCapability.AccessMode.newBuilder().setModeValue(42)).build();
    private static final csi.v1.VolumeCapability MOUNT_GROUP = EXT4_RWO.toBuilder()
            .setMount(EXT4_RWO.getMount().toBuilder().setVolumeMountGroup("1000")).build();

    private static CreateVolumeRequest create(String name, csi.v1.VolumeCapability... capabilities) {
        return CreateVolumeRequest.newBuilder().setName(name).addAllVolumeCapabilities(List.of(capabilities)).build();
    }

    private static csi.v1.CapacityRange range(long required, long limit) {
        return csi.v1.CapacityRange.newBuilder().setRequiredBytes(required).setLimitBytes(limit).build();
    }

    private static csi.v1.Topology segment(String key, String value) {
        return csi.v1.Topology.newBuilder().putSegments(key, value).build();
    }

    private static VolumeContentSource fromVolume(String id) {
        return VolumeContentSource.newBuilder()
                .setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(id)).build();
    }

    private static VolumeContentSource fromSnapshot(String id) {
        return VolumeContentSource.newBuilder()
                .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(id)).build();
    }

    private String createdId(String name) {
        return controller.createVolume(create(name, EXT4_RWO)).getVolume().getVolumeId();
    }

    // ---- ControllerGetCapabilities

    @Test
    void controllerGetCapabilitiesReportsExactlyWhatCapabilitiesDerive() {
        List<ControllerServiceCapability> reported = controller
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList();

        assertThat(reported).containsExactlyElementsOf(
                new Capabilities(io.csi4j.server.config.Mode.ALL, FEATURES).controller());
        assertThat(reported).extracting(c -> c.getRpc().getType()).containsExactly(
                ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME,
                ControllerServiceCapability.RPC.Type.LIST_VOLUMES,
                ControllerServiceCapability.RPC.Type.GET_VOLUME,
                ControllerServiceCapability.RPC.Type.GET_CAPACITY,
                ControllerServiceCapability.RPC.Type.VOLUME_CONDITION);
    }

    // ---- without a provisioner

    static Stream<Arguments> volumeRpcs() {
        return Stream.<Arguments>of(
                Arguments.of("CreateVolume",
                        (Consumer<ControllerGrpc.ControllerBlockingStub>) c -> c.createVolume(create("pvc-1", EXT4_RWO))),
                Arguments.of("DeleteVolume", (Consumer<ControllerGrpc.ControllerBlockingStub>) c -> c.deleteVolume(
                        DeleteVolumeRequest.newBuilder().setVolumeId("vol-1").build())),
                Arguments.of("ControllerGetVolume", (Consumer<ControllerGrpc.ControllerBlockingStub>) c ->
                        c.controllerGetVolume(ControllerGetVolumeRequest.newBuilder().setVolumeId("vol-1").build())),
                Arguments.of("ListVolumes", (Consumer<ControllerGrpc.ControllerBlockingStub>) c ->
                        c.listVolumes(ListVolumesRequest.getDefaultInstance())),
                Arguments.of("ValidateVolumeCapabilities", (Consumer<ControllerGrpc.ControllerBlockingStub>) c ->
                        c.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                                .setVolumeId("vol-1").addVolumeCapabilities(EXT4_RWO).build())),
                Arguments.of("GetCapacity", (Consumer<ControllerGrpc.ControllerBlockingStub>) c ->
                        c.getCapacity(GetCapacityRequest.getDefaultInstance())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("volumeRpcs")
    void withoutAProvisionerVolumeRpcsAreUnimplemented(String rpc, Consumer<ControllerGrpc.ControllerBlockingStub> call)
            throws IOException {
        ControllerGrpc.ControllerBlockingStub bare = serve(dir.resolve("bare.sock"), Optional.empty());

        assertFails(() -> call.accept(bare), Status.Code.UNIMPLEMENTED,
                "Method csi.v1.Controller/" + rpc + " is unimplemented");
        assertThat(bare.controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesCount()).isEqualTo(5);
    }

    // ---- CreateVolume

    static Stream<Arguments> createVolumeErrors() {
        CreateVolumeRequest valid = create("pvc-1", EXT4_RWO);
        return Stream.of(
                Arguments.of("[error] missing name", valid.toBuilder().clearName().build(),
                        Status.Code.INVALID_ARGUMENT, "name is required"),
                Arguments.of("[error] missing volume_capabilities", valid.toBuilder().clearVolumeCapabilities().build(),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities are required"),
                Arguments.of("[error] capability without access_type", create("pvc-1", NO_ACCESS_TYPE),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_type is required: block or mount"),
                Arguments.of("[error] second capability without access_mode", create("pvc-1", EXT4_RWO, NO_ACCESS_MODE),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[1].access_mode is required"),
                Arguments.of("[error] access mode UNKNOWN", create("pvc-1", UNKNOWN_MODE),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_mode.mode is required"),
                Arguments.of("[error] access mode from a newer spec", create("pvc-1", FUTURE_MODE),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_mode.mode 42 is not a known access mode"),
                Arguments.of("[error] volume_mount_group", create("pvc-1", MOUNT_GROUP),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].mount.volume_mount_group is not supported"),
                Arguments.of("[error] negative required_bytes", valid.toBuilder().setCapacityRange(range(-1, 0)).build(),
                        Status.Code.INVALID_ARGUMENT, "capacity bounds must not be negative"),
                Arguments.of("[error] negative limit_bytes", valid.toBuilder().setCapacityRange(range(0, -1)).build(),
                        Status.Code.INVALID_ARGUMENT, "capacity bounds must not be negative"),
                Arguments.of("[error] limit below required", valid.toBuilder().setCapacityRange(range(2000, 1000)).build(),
                        Status.Code.OUT_OF_RANGE,
                        "capacity_range.limit_bytes 1000 is less than capacity_range.required_bytes 2000"),
                Arguments.of("[error] content source of no type",
                        valid.toBuilder().setVolumeContentSource(VolumeContentSource.getDefaultInstance()).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_content_source must name a snapshot or a volume"),
                Arguments.of("[error] snapshot source without snapshot_id",
                        valid.toBuilder().setVolumeContentSource(fromSnapshot("")).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_content_source.snapshot.snapshot_id is required"),
                Arguments.of("[error] volume source without volume_id",
                        valid.toBuilder().setVolumeContentSource(fromVolume("")).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_content_source.volume.volume_id is required"),
                Arguments.of("[error] mutable_parameters without MODIFY_VOLUME",
                        valid.toBuilder().putMutableParams("iops", "3000").build(),
                        Status.Code.INVALID_ARGUMENT,
                        "mutable_parameters are not supported: the driver does not modify volumes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("createVolumeErrors")
    void createVolumeRejectsInvalidRequestsBeforeTheProvisioner(String name, CreateVolumeRequest request,
                                                                Status.Code code, String message) {
        assertFails(() -> controller.createVolume(request), code, message);
        assertThat(provisioner.untouched()).isTrue();
    }

    @Test
    void createVolumeHandsTheProvisionerTheConvertedSpecAndReturnsTheVolume() {
        CreateVolumeRequest request = CreateVolumeRequest.newBuilder()
                .setName("pvc-1")
                .setCapacityRange(range(GIB, 2 * GIB))
                .addVolumeCapabilities(mount("xfs", Mode.SINGLE_NODE_WRITER, "noatime", "nodiscard"))
                .addVolumeCapabilities(block(Mode.MULTI_NODE_MULTI_WRITER))
                .putParameters("type", "fast")
                .putSecrets("password", "hunter2")
                .setAccessibilityRequirements(TopologyRequirement.newBuilder()
                        .addRequisite(segment("zone", "a")).addRequisite(segment("zone", "b"))
                        .addPreferred(segment("zone", "b")))
                .build();

        CreateVolumeResponse response = controller.createVolume(request);

        assertThat(provisioner.created()).containsExactly(new VolumeSpec("pvc-1", new CapacityRange(GIB, 2 * GIB),
                List.of(new VolumeCapability(new VolumeCapability.Mount("xfs", List.of("noatime", "nodiscard")),
                                AccessMode.SINGLE_NODE_WRITER),
                        new VolumeCapability(new VolumeCapability.Block(), AccessMode.MULTI_NODE_MULTI_WRITER)),
                Map.of("type", "fast"),
                new Topology(List.of(Map.of("zone", "a"), Map.of("zone", "b")), List.of(Map.of("zone", "b"))),
                VolumeSource.EMPTY));
        assertThat(response.getVolume()).isEqualTo(csi.v1.Volume.newBuilder()
                .setVolumeId("vol-1")
                .setCapacityBytes(GIB)
                .putVolumeContext("name", "pvc-1")
                .addAccessibleTopology(segment("zone", "b"))
                .build());
    }

    @Test
    void createVolumeWithOnlyNameAndCapabilitiesLeavesEverythingElseOpen() {
        CreateVolumeResponse response = controller.createVolume(create("pvc-1", block(Mode.SINGLE_NODE_READER_ONLY)));

        assertThat(provisioner.created()).containsExactly(new VolumeSpec("pvc-1", CapacityRange.ANY,
                List.of(new VolumeCapability(new VolumeCapability.Block(), AccessMode.SINGLE_NODE_READER_ONLY)),
                Map.of(), Topology.ANY, VolumeSource.EMPTY));
        assertThat(response.getVolume().getCapacityBytes()).isEqualTo(InMemoryProvisioner.DEFAULT_SIZE);
        assertThat(response.getVolume().getAccessibleTopologyList()).isEmpty();
        assertThat(response.getVolume().hasContentSource()).isFalse();
    }

    @Test
    void createVolumeAgainWithTheSameRequestReturnsTheSameVolume() {
        CreateVolumeRequest request = create("pvc-1", EXT4_RWO).toBuilder().setCapacityRange(range(GIB, 0)).build();

        CreateVolumeResponse first = controller.createVolume(request);
        CreateVolumeResponse second = controller.createVolume(request);

        assertThat(second).isEqualTo(first);
        assertThat(provisioner.created()).hasSize(2).allMatch(spec -> spec.equals(provisioner.created().getFirst()));
    }

    @Test
    void createVolumeWithTheNameOfAnIncompatibleVolumeAnswersAlreadyExists() {
        controller.createVolume(create("pvc-1", EXT4_RWO).toBuilder().setCapacityRange(range(GIB, 0)).build());

        assertFails(() -> controller.createVolume(create("pvc-1", EXT4_RWO).toBuilder()
                        .setCapacityRange(range(2 * GIB, 0)).build()),
                Status.Code.ALREADY_EXISTS, "volume pvc-1 exists with other properties");
    }

    @Test
    void createVolumeFromAVolumeNamesTheSourceAndEchoesIt() {
        String source = createdId("pvc-1");
        CreateVolumeRequest clone = create("pvc-2", EXT4_RWO).toBuilder()
                .setVolumeContentSource(fromVolume(source)).build();

        CreateVolumeResponse response = controller.createVolume(clone);

        assertThat(provisioner.created().getLast().source()).isEqualTo(new VolumeSource.FromVolume(source));
        assertThat(response.getVolume().getContentSource()).isEqualTo(fromVolume(source));
        assertThat(response.getVolume().getVolumeId()).isNotEqualTo(source);
    }

    @Test
    void createVolumeFromAMissingVolumeAnswersNotFound() {
        assertFails(() -> controller.createVolume(create("pvc-2", EXT4_RWO).toBuilder()
                        .setVolumeContentSource(fromVolume("vol-404")).build()),
                Status.Code.NOT_FOUND, "source volume vol-404 does not exist");
    }

    @Test
    void createVolumeFromASnapshotNamesTheSnapshot() {
        assertFails(() -> controller.createVolume(create("pvc-2", EXT4_RWO).toBuilder()
                        .setVolumeContentSource(fromSnapshot("snap-1")).build()),
                Status.Code.NOT_FOUND, "source snapshot snap-1 does not exist");

        assertThat(provisioner.created()).singleElement().extracting(VolumeSpec::source)
                .isEqualTo(new VolumeSource.FromSnapshot("snap-1"));
    }

    @Test
    void createVolumeWhileAnotherOperationRunsAnswersAborted() {
        provisioner.busy.add("pvc-1");

        assertFails(() -> controller.createVolume(create("pvc-1", EXT4_RWO)),
                Status.Code.ABORTED, "an operation on pvc-1 is in progress");
    }

    // ---- DeleteVolume

    static Stream<Arguments> deleteVolumeErrors() {
        return Stream.of(Arguments.of("[error] missing volume_id", DeleteVolumeRequest.newBuilder()
                .putSecrets("password", "hunter2").build(), Status.Code.INVALID_ARGUMENT, "volume_id is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deleteVolumeErrors")
    void deleteVolumeRejectsInvalidRequestsBeforeTheProvisioner(String name, DeleteVolumeRequest request,
                                                                Status.Code code, String message) {
        assertFails(() -> controller.deleteVolume(request), code, message);
        assertThat(provisioner.untouched()).isTrue();
    }

    @Test
    void deleteVolumeRemovesTheVolume() {
        String id = createdId("pvc-1");

        assertThat(controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build()))
                .isEqualTo(csi.v1.DeleteVolumeResponse.getDefaultInstance());

        assertThat(provisioner.deleted()).containsExactly(id);
        assertThat(statusOf(() -> controller.controllerGetVolume(
                ControllerGetVolumeRequest.newBuilder().setVolumeId(id).build())).getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void deleteVolumeOfAMissingVolumeSucceeds() {
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("vol-404").build());

        assertThat(provisioner.deleted()).containsExactly("vol-404");
    }

    @Test
    void deleteVolumeWhileAnotherOperationRunsAnswersAborted() {
        String id = createdId("pvc-1");
        provisioner.busy.add(id);

        assertFails(() -> controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build()),
                Status.Code.ABORTED, "an operation on " + id + " is in progress");
    }

    // ---- ControllerGetVolume

    static Stream<Arguments> controllerGetVolumeErrors() {
        return Stream.of(Arguments.of("[error] missing volume_id", ControllerGetVolumeRequest.getDefaultInstance(),
                Status.Code.INVALID_ARGUMENT, "volume_id is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("controllerGetVolumeErrors")
    void controllerGetVolumeRejectsInvalidRequestsBeforeTheProvisioner(String name, ControllerGetVolumeRequest request,
                                                                       Status.Code code, String message) {
        assertFails(() -> controller.controllerGetVolume(request), code, message);
        assertThat(provisioner.untouched()).isTrue();
    }

    @Test
    void controllerGetVolumeOfAMissingVolumeAnswersNotFound() {
        assertFails(() -> controller.controllerGetVolume(
                        ControllerGetVolumeRequest.newBuilder().setVolumeId("vol-404").build()),
                Status.Code.NOT_FOUND, "volume vol-404 does not exist");
        assertThat(provisioner.lookedUp()).containsExactly("vol-404");
    }

    @Test
    void controllerGetVolumeReportsTheVolumeItsNodesAndItsCondition() {
        CreateVolumeResponse created = controller.createVolume(create("pvc-1", EXT4_RWO));
        String id = created.getVolume().getVolumeId();
        provisioner.published.put(id, List.of("n1", "n2"));
        provisioner.abnormal.put(id, "I/O errors on the backing disk");

        ControllerGetVolumeResponse response = controller.controllerGetVolume(
                ControllerGetVolumeRequest.newBuilder().setVolumeId(id).build());

        assertThat(response.getVolume()).isEqualTo(created.getVolume());
        assertThat(response.getStatus().getPublishedNodeIdsList()).containsExactly("n1", "n2");
        assertThat(response.getStatus().getVolumeCondition()).isEqualTo(VolumeCondition.newBuilder()
                .setAbnormal(true).setMessage("I/O errors on the backing disk").build());
    }

    @Test
    void controllerGetVolumeReportsAHealthyVolume() {
        String id = createdId("pvc-1");

        ControllerGetVolumeResponse response = controller.controllerGetVolume(
                ControllerGetVolumeRequest.newBuilder().setVolumeId(id).build());

        assertThat(response.getStatus().getPublishedNodeIdsList()).isEmpty();
        assertThat(response.getStatus().getVolumeCondition())
                .isEqualTo(VolumeCondition.newBuilder().setAbnormal(false).setMessage("ok").build());
    }

    // ---- ListVolumes

    static Stream<Arguments> listVolumesErrors() {
        return Stream.of(Arguments.of("[error] negative max_entries",
                ListVolumesRequest.newBuilder().setMaxEntries(-1).build(),
                Status.Code.INVALID_ARGUMENT, "max_entries must not be negative: -1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listVolumesErrors")
    void listVolumesRejectsInvalidRequestsBeforeTheProvisioner(String name, ListVolumesRequest request,
                                                               Status.Code code, String message) {
        assertFails(() -> controller.listVolumes(request), code, message);
        assertThat(provisioner.untouched()).isTrue();
    }

    @Test
    void listVolumesPagesThroughEveryVolumeWithItsStatus() {
        List<String> ids = List.of(createdId("pvc-1"), createdId("pvc-2"), createdId("pvc-3"));
        provisioner.published.put(ids.get(1), List.of("n1"));
        provisioner.abnormal.put(ids.get(2), "degraded");

        ListVolumesResponse first = controller.listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2).build());
        ListVolumesResponse second = controller.listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2)
                .setStartingToken(first.getNextToken()).build());

        assertThat(first.getEntriesList()).extracting(e -> e.getVolume().getVolumeId())
                .containsExactly(ids.get(0), ids.get(1));
        assertThat(first.getNextToken()).isEqualTo("page:2");
        assertThat(first.getEntries(1).getStatus().getPublishedNodeIdsList()).containsExactly("n1");
        assertThat(first.getEntries(0).getStatus().getVolumeCondition())
                .isEqualTo(VolumeCondition.newBuilder().setAbnormal(false).setMessage("ok").build());
        assertThat(second.getEntriesList()).singleElement().satisfies(entry -> {
            assertThat(entry.getVolume().getVolumeId()).isEqualTo(ids.get(2));
            assertThat(entry.getVolume().getVolumeContextMap()).isEqualTo(Map.of("name", "pvc-3"));
            assertThat(entry.getStatus().getVolumeCondition())
                    .isEqualTo(VolumeCondition.newBuilder().setAbnormal(true).setMessage("degraded").build());
        });
        assertThat(second.getNextToken()).isEmpty();
        assertThat(provisioner.listed()).containsExactly("2/", "2/page:2");
    }

    @Test
    void listVolumesWithoutALimitListsEverything() {
        createdId("pvc-1");
        createdId("pvc-2");

        ListVolumesResponse all = controller.listVolumes(ListVolumesRequest.getDefaultInstance());

        assertThat(all.getEntriesCount()).isEqualTo(2);
        assertThat(all.getNextToken()).isEmpty();
        assertThat(provisioner.listed()).containsExactly("0/");
    }

    @Test
    void listVolumesFromAForeignTokenAnswersAborted() {
        assertFails(() -> controller.listVolumes(ListVolumesRequest.newBuilder().setStartingToken("bogus").build()),
                Status.Code.ABORTED, "listing token bogus was not issued here");
    }

    // ---- ValidateVolumeCapabilities

    static Stream<Arguments> validateVolumeCapabilitiesErrors() {
        ValidateVolumeCapabilitiesRequest valid = ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId("vol-1").addVolumeCapabilities(EXT4_RWO).build();
        return Stream.of(
                Arguments.of("[error] missing volume_id", valid.toBuilder().clearVolumeId().build(),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                Arguments.of("[error] missing volume_capabilities", valid.toBuilder().clearVolumeCapabilities().build(),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities are required"),
                Arguments.of("[error] capability without access_type",
                        valid.toBuilder().addVolumeCapabilities(NO_ACCESS_TYPE).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[1].access_type is required: block or mount"),
                Arguments.of("[error] capability without access_mode",
                        valid.toBuilder().setVolumeCapabilities(0, NO_ACCESS_MODE).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_mode is required"),
                Arguments.of("[error] access mode UNKNOWN",
                        valid.toBuilder().setVolumeCapabilities(0, UNKNOWN_MODE).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_mode.mode is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validateVolumeCapabilitiesErrors")
    void validateVolumeCapabilitiesRejectsInvalidRequestsBeforeTheProvisioner(
            String name, ValidateVolumeCapabilitiesRequest request, Status.Code code, String message) {
        assertFails(() -> controller.validateVolumeCapabilities(request), code, message);
        assertThat(provisioner.untouched()).isTrue();
    }

    @Test
    void validateVolumeCapabilitiesOfAMissingVolumeAnswersNotFound() {
        assertFails(() -> controller.validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                        .setVolumeId("vol-404").addVolumeCapabilities(EXT4_RWO).build()),
                Status.Code.NOT_FOUND, "volume vol-404 does not exist");
    }

    @Test
    void validateVolumeCapabilitiesConfirmsOnlyTheCapabilitiesItChecked() {
        String id = createdId("pvc-1");
        ValidateVolumeCapabilitiesRequest request = ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId(id)
                .putVolumeContext("name", "pvc-1")
                .addVolumeCapabilities(mount("ext4", Mode.SINGLE_NODE_WRITER, "ro"))
                .putParameters("type", "fast")
                .putMutableParams("iops", "3000")
                .putSecrets("password", "hunter2")
                .build();

        ValidateVolumeCapabilitiesResponse response = controller.validateVolumeCapabilities(request);

        // Context and parameters are not checked against the volume, so they are not confirmed.
        assertThat(response.getConfirmed()).isEqualTo(ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                .addVolumeCapabilities(mount("ext4", Mode.SINGLE_NODE_WRITER, "ro"))
                .build());
        assertThat(response.getMessage()).isEmpty();
        assertThat(provisioner.validated()).containsExactly(List.of(new VolumeCapability(
                new VolumeCapability.Mount("ext4", List.of("ro")), AccessMode.SINGLE_NODE_WRITER)));
    }

    @Test
    void validateVolumeCapabilitiesSaysWhyWhenACapabilityIsNotSupported() {
        String id = createdId("pvc-1");

        ValidateVolumeCapabilitiesResponse response = controller.validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(id)
                        .addVolumeCapabilities(EXT4_RWO).addVolumeCapabilities(block(Mode.SINGLE_NODE_WRITER)).build());

        assertThat(response.hasConfirmed()).isFalse();
        assertThat(response.getMessage()).isEqualTo("volume " + id + " does not support block SINGLE_NODE_WRITER");
        assertThat(provisioner.validated()).containsExactly(List.of(
                new VolumeCapability(new VolumeCapability.Mount("ext4", List.of()), AccessMode.SINGLE_NODE_WRITER),
                new VolumeCapability(new VolumeCapability.Block(), AccessMode.SINGLE_NODE_WRITER)));
    }

    // ---- GetCapacity

    static Stream<Arguments> getCapacityErrors() {
        return Stream.of(
                Arguments.of("[error] capability without access_type",
                        GetCapacityRequest.newBuilder().addVolumeCapabilities(NO_ACCESS_TYPE).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_type is required: block or mount"),
                Arguments.of("[error] capability without access_mode",
                        GetCapacityRequest.newBuilder().addVolumeCapabilities(NO_ACCESS_MODE).build(),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_mode is required"),
                Arguments.of("[error] access mode from a newer spec",
                        GetCapacityRequest.newBuilder().addVolumeCapabilities(FUTURE_MODE).build(),
                        Status.Code.INVALID_ARGUMENT,
                        "volume_capabilities[0].access_mode.mode 42 is not a known access mode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("getCapacityErrors")
    void getCapacityRejectsInvalidRequestsBeforeTheProvisioner(String name, GetCapacityRequest request,
                                                               Status.Code code, String message) {
        assertFails(() -> controller.getCapacity(request), code, message);
        assertThat(provisioner.untouched()).isTrue();
    }

    @Test
    void getCapacityAsksAboutTheGivenPropertiesAndReportsEveryFigure() {
        provisioner.capacityReport = new CapacityReport(100 * GIB, 50 * GIB, 1 << 20);

        GetCapacityResponse response = controller.getCapacity(GetCapacityRequest.newBuilder()
                .addVolumeCapabilities(block(Mode.SINGLE_NODE_SINGLE_WRITER))
                .putParameters("type", "fast")
                .setAccessibleTopology(segment("topology.csi4j.io/node", "n1"))
                .build());

        assertThat(provisioner.queried()).containsExactly(new CapacityQuery(Map.of("type", "fast"),
                List.of(new VolumeCapability(new VolumeCapability.Block(), AccessMode.SINGLE_NODE_SINGLE_WRITER)),
                Map.of("topology.csi4j.io/node", "n1")));
        assertThat(response).isEqualTo(GetCapacityResponse.newBuilder()
                .setAvailableCapacity(100 * GIB)
                .setMaximumVolumeSize(Int64Value.of(50 * GIB))
                .setMinimumVolumeSize(Int64Value.of(1 << 20))
                .build());
    }

    @Test
    void getCapacityLeavesUnreportedSizesUnset() {
        provisioner.capacityReport = new CapacityReport(7 * GIB, 0, 0);

        GetCapacityResponse response = controller.getCapacity(GetCapacityRequest.getDefaultInstance());

        assertThat(provisioner.queried()).containsExactly(new CapacityQuery(Map.of(), List.of(), Map.of()));
        assertThat(response.getAvailableCapacity()).isEqualTo(7 * GIB);
        assertThat(response.hasMaximumVolumeSize()).isFalse();
        assertThat(response.hasMinimumVolumeSize()).isFalse();
    }
}
