package io.csi4j.server.controller;

import static io.csi4j.server.TestServers.statusOf;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.CapacityRange;
import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.ControllerGetVolumeRequest;
import csi.v1.ControllerGrpc;
import csi.v1.ControllerModifyVolumeRequest;
import csi.v1.ControllerPublishVolumeRequest;
import csi.v1.ControllerUnpublishVolumeRequest;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeGroupSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.DeleteVolumeGroupSnapshotRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.GetSnapshotRequest;
import csi.v1.GetVolumeGroupSnapshotRequest;
import csi.v1.GroupControllerGrpc;
import csi.v1.ListSnapshotsRequest;
import csi.v1.ListVolumesRequest;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import csi.v1.VolumeContentSource;
import io.csi4j.server.FixtureBackend;
import io.csi4j.server.TestServers;
import io.csi4j.server.config.DriverName;
import io.csi4j.server.config.NodeIdentity;
import io.csi4j.server.config.ServerConfig;
import io.csi4j.server.endpoint.Endpoint;
import io.csi4j.spi.Feature;
import io.grpc.ManagedChannel;
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
 * Which code the Controller and GroupController services answer when a request is wrong in two
 * ways at once, through a real server over an {@link InMemoryProvisioner} and
 * {@link InMemorySnapshots}: required fields, then their shape, then the other request-only codes,
 * then NOT_FOUND, then what depends on the object (see {@code io.csi4j.server.status}).
 */
class ControllerErrorPrecedenceTest {

    /** What each test starts with: {@value #VOLUME} (pvc-1), its snapshot snap-a and the group group-a of it. */
    private static final String VOLUME = "vol-1";
    private static final String SNAPSHOT = "snap-1";
    private static final String GROUP = "group-2";
    private static final String GROUP_MEMBER = "snap-3";

    private static final VolumeCapability RWO = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
            .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER))
            .build();
    private static final VolumeCapability BLOCK = VolumeCapability.newBuilder()
            .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
            .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER))
            .build();
    private static final VolumeCapability NO_ACCESS_MODE = RWO.toBuilder().clearAccessMode().build();
    private static final VolumeCapability NO_ACCESS_TYPE = RWO.toBuilder().clearAccessType().build();
    private static final CapacityRange LIMIT_BELOW_REQUIRED = range(2000, 1000);

    /** The two services' stubs, on one channel. */
    record Stubs(ControllerGrpc.ControllerBlockingStub controller, GroupControllerGrpc.GroupControllerBlockingStub group) {}

    @TempDir
    Path dir;
    @RegisterExtension
    final TestServers servers = new TestServers();
    private final InMemoryProvisioner provisioner = new InMemoryProvisioner();
    private final InMemorySnapshots snapshots = new InMemorySnapshots(id -> provisioner.get(id).isPresent());
    private Stubs stubs;

    @BeforeEach
    void startServerWithAVolumeASnapshotAndAGroup() throws IOException {
        Path socket = dir.resolve("csi.sock");
        ServerConfig config = new ServerConfig(new Endpoint.Unix(socket), 0600, Duration.ofSeconds(2),
                io.csi4j.server.config.Mode.CONTROLLER, DriverName.DEFAULT, "test", new NodeIdentity("n1"), Map.of(),
                Optional.empty());
        servers.start(config, new FixtureBackend(
                Set.of(Feature.PROVISIONING, Feature.SNAPSHOTS, Feature.GROUP_SNAPSHOTS, Feature.ONLINE_EXPANSION),
                Optional.of(provisioner), Optional.of(snapshots), Optional.empty()));
        ManagedChannel channel = servers.channel(socket);
        stubs = new Stubs(ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS),
                GroupControllerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));

        assertThat(stubs.controller().createVolume(create("pvc-1", RWO).build()).getVolume().getVolumeId())
                .isEqualTo(VOLUME);
        assertThat(stubs.controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName("snap-a")
                .setSourceVolumeId(VOLUME).build()).getSnapshot().getSnapshotId()).isEqualTo(SNAPSHOT);
        assertThat(stubs.group().createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.newBuilder()
                .setName("group-a").addSourceVolumeIds(VOLUME).build()).getGroupSnapshot().getGroupSnapshotId())
                .isEqualTo(GROUP);
    }

    private static Arguments row(String name, Consumer<Stubs> call, Status.Code code, String fragment) {
        return Arguments.of(name, call, code, fragment);
    }

    private static CapacityRange range(long required, long limit) {
        return CapacityRange.newBuilder().setRequiredBytes(required).setLimitBytes(limit).build();
    }

    private static CreateVolumeRequest.Builder create(String name, VolumeCapability... capabilities) {
        return CreateVolumeRequest.newBuilder().setName(name).addAllVolumeCapabilities(List.of(capabilities));
    }

    private static VolumeContentSource fromVolume(String id) {
        return VolumeContentSource.newBuilder()
                .setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(id)).build();
    }

    private static Consumer<Stubs> creating(CreateVolumeRequest.Builder request) {
        return s -> s.controller().createVolume(request.build());
    }

    private static Consumer<Stubs> validating(String volumeId, VolumeCapability... capabilities) {
        return s -> s.controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId(volumeId).addAllVolumeCapabilities(List.of(capabilities)).build());
    }

    private static ControllerExpandVolumeRequest.Builder expand(String volumeId) {
        return ControllerExpandVolumeRequest.newBuilder().setVolumeId(volumeId);
    }

    private static Consumer<Stubs> expanding(ControllerExpandVolumeRequest.Builder request) {
        return s -> s.controller().controllerExpandVolume(request.build());
    }

    private static Consumer<Stubs> snapshotting(String name, String source) {
        return s -> s.controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName(name)
                .setSourceVolumeId(source).build());
    }

    private static Consumer<Stubs> grouping(String name, String... sources) {
        return s -> s.group().createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.newBuilder().setName(name)
                .addAllSourceVolumeIds(List.of(sources)).build());
    }

    private static Consumer<Stubs> gettingGroup(String id, String... snapshotIds) {
        return s -> s.group().getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(id).addAllSnapshotIds(List.of(snapshotIds)).build());
    }

    private static Consumer<Stubs> deletingGroup(String id, String... snapshotIds) {
        return s -> s.group().deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(id).addAllSnapshotIds(List.of(snapshotIds)).build());
    }

    // ---- the tables

    static Stream<Arguments> volumes() {
        return Stream.of(
                row("[error] CreateVolume: missing name and missing volume_capabilities -> INVALID_ARGUMENT",
                        creating(create("")), Status.Code.INVALID_ARGUMENT, "name is required"),
                row("[error] CreateVolume: missing volume_capabilities and limit below required -> INVALID_ARGUMENT",
                        creating(create("pvc-2").setCapacityRange(LIMIT_BELOW_REQUIRED)),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities are required"),
                row("[error] CreateVolume: capability without access_mode and limit below required -> INVALID_ARGUMENT",
                        creating(create("pvc-2", NO_ACCESS_MODE).setCapacityRange(LIMIT_BELOW_REQUIRED)),
                        Status.Code.INVALID_ARGUMENT, "volume_capabilities[0].access_mode is required"),
                row("[error] CreateVolume: volume source without volume_id and limit below required -> INVALID_ARGUMENT",
                        creating(create("pvc-2", RWO).setVolumeContentSource(fromVolume(""))
                                .setCapacityRange(LIMIT_BELOW_REQUIRED)),
                        Status.Code.INVALID_ARGUMENT, "volume_content_source.volume.volume_id is required"),
                row("[error] CreateVolume: mutable_parameters and limit below required -> INVALID_ARGUMENT",
                        creating(create("pvc-2", RWO).putMutableParams("iops", "3000")
                                .setCapacityRange(LIMIT_BELOW_REQUIRED)),
                        Status.Code.INVALID_ARGUMENT, "mutable_parameters are not supported"),
                row("[error] CreateVolume: unknown source volume and limit below required -> OUT_OF_RANGE",
                        creating(create("pvc-2", RWO).setVolumeContentSource(fromVolume("vol-404"))
                                .setCapacityRange(LIMIT_BELOW_REQUIRED)),
                        Status.Code.OUT_OF_RANGE, "is less than capacity_range.required_bytes"),
                row("[error] CreateVolume: unknown source volume -> NOT_FOUND",
                        creating(create("pvc-2", RWO).setVolumeContentSource(fromVolume("vol-404"))),
                        Status.Code.NOT_FOUND, "source volume vol-404 does not exist"),
                row("[error] CreateVolume: name of an incompatible volume and unknown source -> ALREADY_EXISTS",
                        creating(create("pvc-1", RWO).setVolumeContentSource(fromVolume("vol-404"))),
                        Status.Code.ALREADY_EXISTS, "volume pvc-1 exists with other properties"),
                row("[error] DeleteVolume: missing volume_id -> INVALID_ARGUMENT",
                        s -> s.controller().deleteVolume(DeleteVolumeRequest.getDefaultInstance()),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] ControllerGetVolume: missing volume_id -> INVALID_ARGUMENT",
                        s -> s.controller().controllerGetVolume(ControllerGetVolumeRequest.getDefaultInstance()),
                        Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] ControllerGetVolume: unknown volume -> NOT_FOUND",
                        s -> s.controller().controllerGetVolume(ControllerGetVolumeRequest.newBuilder()
                                .setVolumeId("vol-404").build()),
                        Status.Code.NOT_FOUND, "volume vol-404 does not exist"),
                row("[error] ValidateVolumeCapabilities: missing volume_id and missing capabilities -> INVALID_ARGUMENT",
                        validating(""), Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] ValidateVolumeCapabilities: unknown volume and missing capabilities -> INVALID_ARGUMENT",
                        validating("vol-404"), Status.Code.INVALID_ARGUMENT, "volume_capabilities are required"),
                row("[error] ValidateVolumeCapabilities: unknown volume and capability without access_type -> INVALID_ARGUMENT",
                        validating("vol-404", NO_ACCESS_TYPE), Status.Code.INVALID_ARGUMENT,
                        "volume_capabilities[0].access_type is required"),
                row("[error] ValidateVolumeCapabilities: unknown volume and unsupported capability -> NOT_FOUND",
                        validating("vol-404", BLOCK), Status.Code.NOT_FOUND, "volume vol-404 does not exist"),
                row("[error] ListVolumes: negative max_entries and foreign token -> INVALID_ARGUMENT",
                        s -> s.controller().listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(-1)
                                .setStartingToken("bogus").build()),
                        Status.Code.INVALID_ARGUMENT, "max_entries must not be negative"),
                row("[error] ControllerExpandVolume: missing volume_id and missing capacity_range -> INVALID_ARGUMENT",
                        expanding(expand("")), Status.Code.INVALID_ARGUMENT, "volume_id is required"),
                row("[error] ControllerExpandVolume: unknown volume and missing capacity_range -> INVALID_ARGUMENT",
                        expanding(expand("vol-404")), Status.Code.INVALID_ARGUMENT, "capacity_range is required"),
                row("[error] ControllerExpandVolume: unknown volume and capability without access_mode -> INVALID_ARGUMENT",
                        expanding(expand("vol-404").setCapacityRange(range(1 << 20, 0)).setVolumeCapability(NO_ACCESS_MODE)),
                        Status.Code.INVALID_ARGUMENT, "volume_capability.access_mode is required"),
                row("[error] ControllerExpandVolume: unknown volume and negative required_bytes -> INVALID_ARGUMENT",
                        expanding(expand("vol-404").setCapacityRange(range(-1, 0))),
                        Status.Code.INVALID_ARGUMENT, "capacity bounds must not be negative"),
                row("[error] ControllerExpandVolume: unknown volume and limit below required -> OUT_OF_RANGE",
                        expanding(expand("vol-404").setCapacityRange(LIMIT_BELOW_REQUIRED)),
                        Status.Code.OUT_OF_RANGE, "is less than capacity_range.required_bytes"),
                row("[error] ControllerExpandVolume: unknown volume -> NOT_FOUND",
                        expanding(expand("vol-404").setCapacityRange(range(1 << 20, 0))),
                        Status.Code.NOT_FOUND, "volume vol-404 does not exist"),
                row("[error] ControllerExpandVolume: known volume made smaller -> OUT_OF_RANGE",
                        expanding(expand(VOLUME).setCapacityRange(range(1 << 20, 0))),
                        Status.Code.OUT_OF_RANGE, "it cannot shrink"),
                row("[error] ControllerPublishVolume without volume_id -> UNIMPLEMENTED (not served)",
                        s -> s.controller().controllerPublishVolume(ControllerPublishVolumeRequest.getDefaultInstance()),
                        Status.Code.UNIMPLEMENTED, "is unimplemented"),
                row("[error] ControllerUnpublishVolume without volume_id -> UNIMPLEMENTED (not served)",
                        s -> s.controller().controllerUnpublishVolume(ControllerUnpublishVolumeRequest.getDefaultInstance()),
                        Status.Code.UNIMPLEMENTED, "is unimplemented"),
                row("[error] ControllerModifyVolume without volume_id -> UNIMPLEMENTED (not served)",
                        s -> s.controller().controllerModifyVolume(ControllerModifyVolumeRequest.getDefaultInstance()),
                        Status.Code.UNIMPLEMENTED, "is unimplemented"));
    }

    static Stream<Arguments> snapshots() {
        return Stream.of(
                row("[error] CreateSnapshot: missing name and missing source_volume_id -> INVALID_ARGUMENT",
                        snapshotting("", ""), Status.Code.INVALID_ARGUMENT, "name is required"),
                row("[error] CreateSnapshot: missing source_volume_id -> INVALID_ARGUMENT",
                        snapshotting("snap-b", ""), Status.Code.INVALID_ARGUMENT, "source_volume_id is required"),
                row("[error] CreateSnapshot: unknown source volume -> NOT_FOUND",
                        snapshotting("snap-b", "vol-404"), Status.Code.NOT_FOUND, "source volume vol-404 does not exist"),
                row("[error] CreateSnapshot: name of a snapshot of another volume and unknown source -> ALREADY_EXISTS",
                        snapshotting("snap-a", "vol-404"), Status.Code.ALREADY_EXISTS, "snapshot snap-a exists"),
                row("[error] DeleteSnapshot: missing snapshot_id -> INVALID_ARGUMENT",
                        s -> s.controller().deleteSnapshot(DeleteSnapshotRequest.getDefaultInstance()),
                        Status.Code.INVALID_ARGUMENT, "snapshot_id is required"),
                row("[error] GetSnapshot: missing snapshot_id -> INVALID_ARGUMENT",
                        s -> s.controller().getSnapshot(GetSnapshotRequest.getDefaultInstance()),
                        Status.Code.INVALID_ARGUMENT, "snapshot_id is required"),
                row("[error] GetSnapshot: unknown snapshot -> NOT_FOUND",
                        s -> s.controller().getSnapshot(GetSnapshotRequest.newBuilder().setSnapshotId("snap-404").build()),
                        Status.Code.NOT_FOUND, "snapshot snap-404 does not exist"),
                row("[error] ListSnapshots: negative max_entries and foreign token -> INVALID_ARGUMENT",
                        s -> s.controller().listSnapshots(ListSnapshotsRequest.newBuilder().setMaxEntries(-1)
                                .setStartingToken("bogus").build()),
                        Status.Code.INVALID_ARGUMENT, "max_entries must not be negative"),
                row("[error] CreateVolumeGroupSnapshot: missing name and missing sources -> INVALID_ARGUMENT",
                        grouping(""), Status.Code.INVALID_ARGUMENT, "name is required"),
                row("[error] CreateVolumeGroupSnapshot: missing source_volume_ids -> INVALID_ARGUMENT",
                        grouping("group-b"), Status.Code.INVALID_ARGUMENT, "source_volume_ids are required"),
                row("[error] CreateVolumeGroupSnapshot: a repeated unknown source -> INVALID_ARGUMENT",
                        grouping("group-b", "vol-404", "vol-404"), Status.Code.INVALID_ARGUMENT, "must be distinct"),
                row("[error] CreateVolumeGroupSnapshot: unknown source volume -> NOT_FOUND",
                        grouping("group-b", VOLUME, "vol-404"), Status.Code.NOT_FOUND, "source volume vol-404 does not exist"),
                row("[error] CreateVolumeGroupSnapshot: name of a group of other volumes and unknown source -> ALREADY_EXISTS",
                        grouping("group-a", "vol-404"), Status.Code.ALREADY_EXISTS, "group snapshot group-a exists"),
                row("[error] GetVolumeGroupSnapshot: missing group_snapshot_id -> INVALID_ARGUMENT",
                        gettingGroup("", SNAPSHOT), Status.Code.INVALID_ARGUMENT, "group_snapshot_id is required"),
                row("[error] GetVolumeGroupSnapshot: unknown group and mismatched snapshot_ids -> NOT_FOUND",
                        gettingGroup("group-404", SNAPSHOT), Status.Code.NOT_FOUND, "group snapshot group-404 does not exist"),
                row("[error] GetVolumeGroupSnapshot: known group and mismatched snapshot_ids -> INVALID_ARGUMENT",
                        gettingGroup(GROUP, SNAPSHOT), Status.Code.INVALID_ARGUMENT,
                        "snapshot_ids [snap-1] are not the snapshots of group snapshot group-2"),
                row("[error] DeleteVolumeGroupSnapshot: missing group_snapshot_id -> INVALID_ARGUMENT",
                        deletingGroup("", SNAPSHOT), Status.Code.INVALID_ARGUMENT, "group_snapshot_id is required"),
                row("[error] DeleteVolumeGroupSnapshot: known group and mismatched snapshot_ids -> INVALID_ARGUMENT",
                        deletingGroup(GROUP, SNAPSHOT, GROUP_MEMBER), Status.Code.INVALID_ARGUMENT,
                        "are not the snapshots of group snapshot group-2"));
    }

    private void assertAnswers(Consumer<Stubs> call, Status.Code code, String fragment) {
        Status status = statusOf(() -> call.accept(stubs));

        assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
        assertThat(status.getDescription()).contains(fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("volumes")
    void volumeRpcsAnswerTheFirstProblem(String name, Consumer<Stubs> call, Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void snapshotRpcsAnswerTheFirstProblem(String name, Consumer<Stubs> call, Status.Code code, String fragment) {
        assertAnswers(call, code, fragment);
    }

    @Test
    void groupsAreFoundWithTheirOwnSnapshotListAndDeletedWhenGoneWithAnyList() {
        // The other side of the group rows: the right list, or none, is no mismatch.
        gettingGroup(GROUP, GROUP_MEMBER).accept(stubs);
        gettingGroup(GROUP).accept(stubs);
        deletingGroup("group-404", SNAPSHOT).accept(stubs);
        deletingGroup(GROUP, GROUP_MEMBER).accept(stubs);

        assertAnswers(gettingGroup(GROUP), Status.Code.NOT_FOUND, "group snapshot group-2 does not exist");
    }
}
