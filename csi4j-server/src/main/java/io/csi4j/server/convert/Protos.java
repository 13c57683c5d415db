package io.csi4j.server.convert;

import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ListVolumesResponse;
import csi.v1.TopologyRequirement;
import csi.v1.VolumeCondition;
import csi.v1.VolumeContentSource;
import io.csi4j.server.status.StatusMapper;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.Topology;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Protocol messages to SPI values and back. Conversions of requests validate what the SPI
 * cannot express and throw INVALID_ARGUMENT naming the offending field, so services can call
 * them before anything reaches the backend.
 */
public final class Protos {

    private Protos() {}

    /** A capability from a request's {@code volume_capability} field. */
    public static VolumeCapability capability(csi.v1.VolumeCapability capability) {
        return capability(capability, "volume_capability");
    }

    /**
     * A capability from the request field named {@code field} (used in error messages, such as
     * {@code volume_capabilities[1]}).
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when the access type or access mode
     *                                        is missing or unknown, or a mount asks for a volume
     *                                        mount group (no such capability is advertised)
     */
    public static VolumeCapability capability(csi.v1.VolumeCapability capability, String field) {
        VolumeCapability.Access access = switch (capability.getAccessTypeCase()) {
            case BLOCK -> new VolumeCapability.Block();
            case MOUNT -> {
                csi.v1.VolumeCapability.MountVolume mount = capability.getMount();
                if (!mount.getVolumeMountGroup().isEmpty()) {
                    throw StatusMapper.invalidArgument(field + ".mount.volume_mount_group is not supported");
                }
                yield new VolumeCapability.Mount(mount.getFsType(), mount.getMountFlagsList());
            }
            case ACCESSTYPE_NOT_SET -> throw StatusMapper.invalidArgument(
                    field + ".access_type is required: block or mount");
        };
        if (!capability.hasAccessMode()) {
            throw StatusMapper.invalidArgument(field + ".access_mode is required");
        }
        return new VolumeCapability(access, accessMode(capability.getAccessMode(), field));
    }

    private static AccessMode accessMode(csi.v1.VolumeCapability.AccessMode mode, String field) {
        return switch (mode.getMode()) {
            case SINGLE_NODE_WRITER -> AccessMode.SINGLE_NODE_WRITER;
            case SINGLE_NODE_READER_ONLY -> AccessMode.SINGLE_NODE_READER_ONLY;
            case MULTI_NODE_READER_ONLY -> AccessMode.MULTI_NODE_READER_ONLY;
            case MULTI_NODE_SINGLE_WRITER -> AccessMode.MULTI_NODE_SINGLE_WRITER;
            case MULTI_NODE_MULTI_WRITER -> AccessMode.MULTI_NODE_MULTI_WRITER;
            case SINGLE_NODE_SINGLE_WRITER -> AccessMode.SINGLE_NODE_SINGLE_WRITER;
            case SINGLE_NODE_MULTI_WRITER -> AccessMode.SINGLE_NODE_MULTI_WRITER;
            case UNKNOWN -> throw StatusMapper.invalidArgument(field + ".access_mode.mode is required");
            case UNRECOGNIZED -> throw StatusMapper.invalidArgument(
                    field + ".access_mode.mode " + mode.getModeValue() + " is not a known access mode");
        };
    }

    /**
     * The capabilities of a repeated field named {@code field}, each converted as by
     * {@link #capability(csi.v1.VolumeCapability, String)} with its index in the field's name.
     */
    public static List<VolumeCapability> capabilities(List<csi.v1.VolumeCapability> capabilities, String field) {
        List<VolumeCapability> converted = new ArrayList<>(capabilities.size());
        for (int i = 0; i < capabilities.size(); i++) {
            converted.add(capability(capabilities.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(converted);
    }

    /**
     * A capacity range; an unset one is {@link CapacityRange#ANY}.
     *
     * @throws io.csi4j.spi.InvalidParameter when a bound is negative (INVALID_ARGUMENT)
     * @throws CapacityOutOfRange            when both bounds are set and the limit is below the
     *                                       required size (OUT_OF_RANGE)
     */
    public static CapacityRange capacityRange(csi.v1.CapacityRange range) {
        CapacityRange converted = new CapacityRange(range.getRequiredBytes(), range.getLimitBytes());
        if (converted.hasRequired() && converted.hasLimit() && converted.limitBytes() < converted.requiredBytes()) {
            throw new CapacityOutOfRange("capacity_range.limit_bytes " + converted.limitBytes()
                    + " is less than capacity_range.required_bytes " + converted.requiredBytes());
        }
        return converted;
    }

    /** A topology requirement's requisite and preferred segments, in order. */
    public static Topology topology(TopologyRequirement requirement) {
        return new Topology(segments(requirement.getRequisiteList()), segments(requirement.getPreferredList()));
    }

    private static List<Map<String, String>> segments(List<csi.v1.Topology> topologies) {
        return topologies.stream().map(csi.v1.Topology::getSegmentsMap).toList();
    }

    /**
     * What a new volume starts with.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when the source names neither a
     *                                        snapshot nor a volume, or names one without its ID
     */
    public static VolumeSource source(VolumeContentSource source) {
        return switch (source.getTypeCase()) {
            case SNAPSHOT -> {
                String id = source.getSnapshot().getSnapshotId();
                if (id.isEmpty()) {
                    throw StatusMapper.invalidArgument("volume_content_source.snapshot.snapshot_id is required");
                }
                yield new VolumeSource.FromSnapshot(id);
            }
            case VOLUME -> {
                String id = source.getVolume().getVolumeId();
                if (id.isEmpty()) {
                    throw StatusMapper.invalidArgument("volume_content_source.volume.volume_id is required");
                }
                yield new VolumeSource.FromVolume(id);
            }
            case TYPE_NOT_SET -> throw StatusMapper.invalidArgument(
                    "volume_content_source must name a snapshot or a volume");
        };
    }

    /** A volume as the protocol describes it (without a content source, which the SPI does not keep). */
    public static csi.v1.Volume volume(Volume volume) {
        csi.v1.Volume.Builder converted = csi.v1.Volume.newBuilder()
                .setVolumeId(volume.id())
                .setCapacityBytes(volume.capacityBytes())
                .putAllVolumeContext(volume.context());
        for (Map<String, String> segment : volume.accessibleTopology()) {
            converted.addAccessibleTopology(csi.v1.Topology.newBuilder().putAllSegments(segment));
        }
        return converted.build();
    }

    /** The health of a volume. */
    public static VolumeCondition condition(VolumeStatus status) {
        return VolumeCondition.newBuilder()
                .setAbnormal(status.abnormal())
                .setMessage(Objects.requireNonNullElse(status.message(), ""))
                .build();
    }

    /** One entry of a volume listing: the volume, its published nodes and its condition. */
    public static ListVolumesResponse.Entry listEntry(VolumeStatus status) {
        return ListVolumesResponse.Entry.newBuilder()
                .setVolume(volume(status.volume()))
                .setStatus(ListVolumesResponse.VolumeStatus.newBuilder()
                        .addAllPublishedNodeIds(status.publishedNodeIds())
                        .setVolumeCondition(condition(status)))
                .build();
    }

    /** The answer to ControllerGetVolume: the volume, its published nodes and its condition. */
    public static ControllerGetVolumeResponse getVolumeResponse(VolumeStatus status) {
        return ControllerGetVolumeResponse.newBuilder()
                .setVolume(volume(status.volume()))
                .setStatus(ControllerGetVolumeResponse.VolumeStatus.newBuilder()
                        .addAllPublishedNodeIds(status.publishedNodeIds())
                        .setVolumeCondition(condition(status)))
                .build();
    }

    /** A snapshot as the protocol describes it. */
    public static csi.v1.Snapshot snapshot(io.csi4j.spi.Snapshot snapshot) {
        return csi.v1.Snapshot.newBuilder()
                .setSnapshotId(snapshot.id())
                .setSourceVolumeId(snapshot.sourceVolumeId())
                .setSizeBytes(snapshot.sizeBytes())
                .setCreationTime(timestamp(snapshot.createdAt()))
                .setReadyToUse(snapshot.readyToUse())
                .setGroupSnapshotId(snapshot.groupId())
                .build();
    }

    /** A group snapshot as the protocol describes it. */
    public static csi.v1.VolumeGroupSnapshot groupSnapshot(io.csi4j.spi.GroupSnapshot group) {
        csi.v1.VolumeGroupSnapshot.Builder converted = csi.v1.VolumeGroupSnapshot.newBuilder()
                .setGroupSnapshotId(group.id())
                .setCreationTime(timestamp(group.createdAt()))
                .setReadyToUse(group.readyToUse());
        group.snapshots().forEach(member -> converted.addSnapshots(snapshot(member)));
        return converted.build();
    }

    private static com.google.protobuf.Timestamp timestamp(java.time.Instant instant) {
        return com.google.protobuf.Timestamp.newBuilder()
                .setSeconds(instant.getEpochSecond())
                .setNanos(instant.getNano())
                .build();
    }
}
