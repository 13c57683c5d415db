package io.csi4j.server.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ListVolumesResponse;
import csi.v1.TopologyRequirement;
import csi.v1.VolumeCapability.AccessMode.Mode;
import csi.v1.VolumeCondition;
import csi.v1.VolumeContentSource;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Topology;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProtosTest {

    private static csi.v1.VolumeCapability.AccessMode mode(Mode mode) {
        return csi.v1.VolumeCapability.AccessMode.newBuilder().setMode(mode).build();
    }

    private static csi.v1.VolumeCapability mount(String fsType, Mode mode, String... flags) {
        return csi.v1.VolumeCapability.newBuilder()
                .setMount(csi.v1.VolumeCapability.MountVolume.newBuilder().setFsType(fsType)
                        .addAllMountFlags(List.of(flags)))
                .setAccessMode(mode(mode))
                .build();
    }

    private static csi.v1.VolumeCapability block(Mode mode) {
        return csi.v1.VolumeCapability.newBuilder()
                .setBlock(csi.v1.VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(mode(mode))
                .build();
    }

    private static void assertInvalidArgument(Runnable conversion, String message) {
        assertThatThrownBy(conversion::run)
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(message);
                });
    }

    // ---- capabilities

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Mode.class, names = {"UNKNOWN", "UNRECOGNIZED"}, mode = EnumSource.Mode.EXCLUDE)
    void everyAccessModeMapsToTheSameNamedOne(Mode mode) {
        assertThat(Protos.capability(block(mode)).mode()).isEqualTo(AccessMode.valueOf(mode.name()));
        assertThat(Protos.capability(mount("", mode)).mode()).isEqualTo(AccessMode.valueOf(mode.name()));
    }

    @Test
    void everySpiAccessModeHasAProtocolMode() {
        assertThat(Arrays.stream(AccessMode.values()).map(AccessMode::name))
                .allSatisfy(name -> assertThat(Mode.valueOf(name).getNumber()).isPositive());
    }

    @Test
    void aBlockCapabilityIsBlock() {
        VolumeCapability capability = Protos.capability(block(Mode.MULTI_NODE_MULTI_WRITER));

        assertThat(capability).isEqualTo(
                new VolumeCapability(new VolumeCapability.Block(), AccessMode.MULTI_NODE_MULTI_WRITER));
        assertThat(capability.isBlock()).isTrue();
    }

    @Test
    void aMountCapabilityKeepsItsFilesystemAndFlagsInOrder() {
        VolumeCapability capability = Protos.capability(mount("xfs", Mode.SINGLE_NODE_WRITER, "noatime", "nouuid"));

        assertThat(capability).isEqualTo(new VolumeCapability(
                new VolumeCapability.Mount("xfs", List.of("noatime", "nouuid")), AccessMode.SINGLE_NODE_WRITER));
        assertThat(capability.isBlock()).isFalse();
    }

    @Test
    void aMountWithoutFilesystemLeavesItToTheBackend() {
        assertThat(Protos.capability(mount("", Mode.SINGLE_NODE_READER_ONLY))).isEqualTo(new VolumeCapability(
                new VolumeCapability.Mount("", List.of()), AccessMode.SINGLE_NODE_READER_ONLY));
    }

    @Test
    void aCapabilityWithoutAccessTypeIsInvalid() {
        assertInvalidArgument(() -> Protos.capability(csi.v1.VolumeCapability.newBuilder()
                        .setAccessMode(mode(Mode.SINGLE_NODE_WRITER)).build()),
                "volume_capability.access_type is required: block or mount");
    }

    @Test
    void aCapabilityWithoutAccessModeIsInvalid() {
        assertInvalidArgument(() -> Protos.capability(block(Mode.SINGLE_NODE_WRITER).toBuilder()
                .clearAccessMode().build()), "volume_capability.access_mode is required");
    }

    @Test
    void anUnknownAccessModeIsInvalid() {
        assertInvalidArgument(() -> Protos.capability(block(Mode.UNKNOWN)),
                "volume_capability.access_mode.mode is required");
        assertInvalidArgument(() -> Protos.capability(block(Mode.UNKNOWN).toBuilder()
                        .setAccessMode(csi.v1.VolumeCapability.AccessMode.newBuilder().setModeValue(99)).build()),
                "volume_capability.access_mode.mode 99 is not a known access mode");
    }

    @Test
    void aVolumeMountGroupIsRefused() {
        csi.v1.VolumeCapability grouped = mount("ext4", Mode.SINGLE_NODE_WRITER).toBuilder()
                .setMount(csi.v1.VolumeCapability.MountVolume.newBuilder().setVolumeMountGroup("1000")).build();

        assertInvalidArgument(() -> Protos.capability(grouped, "volume_capability"),
                "volume_capability.mount.volume_mount_group is not supported");
    }

    @Test
    void capabilitiesNameTheIndexOfTheBadOne() {
        assertThat(Protos.capabilities(List.of(), "volume_capabilities")).isEmpty();
        assertThat(Protos.capabilities(List.of(block(Mode.SINGLE_NODE_WRITER), mount("ext4", Mode.MULTI_NODE_READER_ONLY)),
                "volume_capabilities")).containsExactly(
                new VolumeCapability(new VolumeCapability.Block(), AccessMode.SINGLE_NODE_WRITER),
                new VolumeCapability(new VolumeCapability.Mount("ext4", List.of()), AccessMode.MULTI_NODE_READER_ONLY));
        assertInvalidArgument(() -> Protos.capabilities(List.of(block(Mode.SINGLE_NODE_WRITER), block(Mode.UNKNOWN)),
                "volume_capabilities"), "volume_capabilities[1].access_mode.mode is required");
    }

    // ---- capacity ranges

    private static csi.v1.CapacityRange range(long required, long limit) {
        return csi.v1.CapacityRange.newBuilder().setRequiredBytes(required).setLimitBytes(limit).build();
    }

    @Test
    void capacityRangesKeepTheirBounds() {
        assertThat(Protos.capacityRange(range(0, 0))).isEqualTo(CapacityRange.ANY);
        assertThat(Protos.capacityRange(range(10, 0))).isEqualTo(new CapacityRange(10, 0));
        assertThat(Protos.capacityRange(range(0, 10))).isEqualTo(new CapacityRange(0, 10));
        assertThat(Protos.capacityRange(range(10, 10))).isEqualTo(new CapacityRange(10, 10));
    }

    @Test
    void negativeBoundsAreInvalid() {
        assertThatThrownBy(() -> Protos.capacityRange(range(-1, 10))).isInstanceOf(InvalidParameter.class);
        assertThatThrownBy(() -> Protos.capacityRange(range(10, -1))).isInstanceOf(InvalidParameter.class);
    }

    @Test
    void aLimitBelowTheRequiredSizeIsOutOfRange() {
        assertThatThrownBy(() -> Protos.capacityRange(range(11, 10)))
                .isInstanceOf(CapacityOutOfRange.class)
                .hasMessage("capacity_range.limit_bytes 10 is less than capacity_range.required_bytes 11");
    }

    // ---- topology and sources

    @Test
    void topologyRequirementsKeepTheirSegmentsInOrder() {
        TopologyRequirement requirement = TopologyRequirement.newBuilder()
                .addRequisite(csi.v1.Topology.newBuilder().putSegments("zone", "a").putSegments("rack", "1"))
                .addRequisite(csi.v1.Topology.newBuilder().putSegments("zone", "b"))
                .addPreferred(csi.v1.Topology.newBuilder().putSegments("zone", "b"))
                .build();

        assertThat(Protos.topology(requirement)).isEqualTo(new Topology(
                List.of(Map.of("zone", "a", "rack", "1"), Map.of("zone", "b")), List.of(Map.of("zone", "b"))));
        assertThat(Protos.topology(TopologyRequirement.getDefaultInstance())).isEqualTo(Topology.ANY);
    }

    @Test
    void contentSourcesNameASnapshotOrAVolume() {
        assertThat(Protos.source(VolumeContentSource.newBuilder()
                .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId("snap-1")).build()))
                .isEqualTo(new VolumeSource.FromSnapshot("snap-1"));
        assertThat(Protos.source(VolumeContentSource.newBuilder()
                .setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId("vol-1")).build()))
                .isEqualTo(new VolumeSource.FromVolume("vol-1"));
    }

    @Test
    void aContentSourceMustNameSomething() {
        assertInvalidArgument(() -> Protos.source(VolumeContentSource.getDefaultInstance()),
                "volume_content_source must name a snapshot or a volume");
        assertInvalidArgument(() -> Protos.source(VolumeContentSource.newBuilder()
                        .setSnapshot(VolumeContentSource.SnapshotSource.getDefaultInstance()).build()),
                "volume_content_source.snapshot.snapshot_id is required");
        assertInvalidArgument(() -> Protos.source(VolumeContentSource.newBuilder()
                        .setVolume(VolumeContentSource.VolumeSource.getDefaultInstance()).build()),
                "volume_content_source.volume.volume_id is required");
    }

    // ---- back to the protocol

    private static final Volume VOLUME = new Volume("vol-1", 1 << 30, Map.of("fsType", "ext4"),
            List.of(Map.of("topology.csi4j.io/node", "n1"), Map.of("topology.csi4j.io/node", "n2")));

    private static final csi.v1.Volume PROTO_VOLUME = csi.v1.Volume.newBuilder()
            .setVolumeId("vol-1")
            .setCapacityBytes(1 << 30)
            .putVolumeContext("fsType", "ext4")
            .addAccessibleTopology(csi.v1.Topology.newBuilder().putSegments("topology.csi4j.io/node", "n1"))
            .addAccessibleTopology(csi.v1.Topology.newBuilder().putSegments("topology.csi4j.io/node", "n2"))
            .build();

    @Test
    void volumesBecomeProtocolVolumes() {
        assertThat(Protos.volume(VOLUME)).isEqualTo(PROTO_VOLUME);
        assertThat(Protos.volume(new Volume("vol-2", 0, Map.of(), List.of())))
                .isEqualTo(csi.v1.Volume.newBuilder().setVolumeId("vol-2").build());
    }

    @Test
    void statusesBecomeListEntriesAndGetVolumeResponses() {
        VolumeStatus status = new VolumeStatus(VOLUME, List.of("n1"), true, "filesystem errors");
        VolumeCondition condition = VolumeCondition.newBuilder().setAbnormal(true).setMessage("filesystem errors")
                .build();

        assertThat(Protos.listEntry(status)).isEqualTo(ListVolumesResponse.Entry.newBuilder()
                .setVolume(PROTO_VOLUME)
                .setStatus(ListVolumesResponse.VolumeStatus.newBuilder()
                        .addPublishedNodeIds("n1").setVolumeCondition(condition))
                .build());
        assertThat(Protos.getVolumeResponse(status)).isEqualTo(ControllerGetVolumeResponse.newBuilder()
                .setVolume(PROTO_VOLUME)
                .setStatus(ControllerGetVolumeResponse.VolumeStatus.newBuilder()
                        .addPublishedNodeIds("n1").setVolumeCondition(condition))
                .build());
    }

    @Test
    void aHealthyVolumeHasANormalCondition() {
        assertThat(Protos.condition(new VolumeStatus(VOLUME, List.of(), false, "ok")))
                .isEqualTo(VolumeCondition.newBuilder().setAbnormal(false).setMessage("ok").build());
        assertThat(Protos.condition(new VolumeStatus(VOLUME, List.of(), false, null)).getMessage()).isEmpty();
    }
}
