package io.csi4j.server.node;

import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetCapabilitiesResponse;
import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeGetInfoResponse;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGetVolumeStatsResponse;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodePublishVolumeResponse;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeStageVolumeResponse;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnpublishVolumeResponse;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.NodeUnstageVolumeResponse;
import csi.v1.Topology;
import csi.v1.VolumeCondition;
import csi.v1.VolumeUsage.Unit;
import io.csi4j.server.config.Capabilities;
import io.csi4j.server.config.NodeIdentity;
import io.csi4j.server.convert.Protos;
import io.csi4j.server.status.StatusMapper;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.Feature;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeUsage;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Node service. It checks what kubelet sends (IDs, paths, capabilities) and hands the
 * volume calls to the backend's {@link NodeVolumes}, which owns idempotency, locking and repair.
 * Without a node side the volume RPCs answer UNIMPLEMENTED.
 */
public final class NodeService extends NodeGrpc.NodeImplBase {

    private final NodeGetCapabilitiesResponse capabilities;
    private final NodeGetInfoResponse info;
    private final Optional<NodeVolumes> volumes;
    private final NodePaths paths;
    private final boolean staging;
    private final boolean expansion;

    public NodeService(Capabilities capabilities, NodeIdentity node, Optional<NodeVolumes> volumes, NodePaths paths) {
        this.capabilities = NodeGetCapabilitiesResponse.newBuilder()
                .addAllCapabilities(capabilities.node())
                .build();
        NodeGetInfoResponse.Builder info = NodeGetInfoResponse.newBuilder().setNodeId(node.nodeId());
        if (capabilities.features().contains(Feature.VOLUME_TOPOLOGY)) {
            info.setAccessibleTopology(Topology.newBuilder().putAllSegments(node.topology()));
        }
        volumes.ifPresent(v -> info.setMaxVolumesPerNode(v.maxVolumes()));
        this.info = info.build();
        this.volumes = volumes;
        this.paths = paths;
        this.staging = capabilities.features().contains(Feature.STAGING);
        this.expansion = capabilities.features().contains(Feature.ONLINE_EXPANSION)
                || capabilities.features().contains(Feature.OFFLINE_EXPANSION);
    }

    @Override
    public void nodeGetCapabilities(NodeGetCapabilitiesRequest request,
                                    StreamObserver<NodeGetCapabilitiesResponse> response) {
        response.onNext(capabilities);
        response.onCompleted();
    }

    @Override
    public void nodeGetInfo(NodeGetInfoRequest request, StreamObserver<NodeGetInfoResponse> response) {
        response.onNext(info);
        response.onCompleted();
    }

    // Each RPC checks in the order the status package describes: required fields, then their
    // shape, then (in the backend) NOT_FOUND before anything about the volume.

    @Override
    public void nodeStageVolume(NodeStageVolumeRequest request, StreamObserver<NodeStageVolumeResponse> response) {
        NodeVolumes volumes = volumes(NodeGrpc.getNodeStageVolumeMethod());
        if (!staging) {
            throw Status.UNIMPLEMENTED.withDescription("this driver does not stage volumes").asRuntimeException();
        }
        String volumeId = volumeId(request.getVolumeId());
        StatusMapper.required(request.getStagingTargetPath(), "staging_target_path");
        requireCapability(request.hasVolumeCapability());
        Path stagingPath = paths.check(request.getStagingTargetPath(), "staging_target_path");
        VolumeCapability capability = Protos.capability(request.getVolumeCapability());
        // A capability the volume cannot serve is the backend's FAILED_PRECONDITION, after its NOT_FOUND.
        volumes.stage(new StageRequest(volumeId, stagingPath, capability, request.getVolumeContextMap()));
        response.onNext(NodeStageVolumeResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void nodeUnstageVolume(NodeUnstageVolumeRequest request,
                                  StreamObserver<NodeUnstageVolumeResponse> response) {
        NodeVolumes volumes = volumes(NodeGrpc.getNodeUnstageVolumeMethod());
        if (!staging) {
            throw Status.UNIMPLEMENTED.withDescription("this driver does not stage volumes").asRuntimeException();
        }
        String volumeId = volumeId(request.getVolumeId());
        volumes.unstage(volumeId, paths.check(request.getStagingTargetPath(), "staging_target_path"));
        response.onNext(NodeUnstageVolumeResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void nodePublishVolume(NodePublishVolumeRequest request,
                                  StreamObserver<NodePublishVolumeResponse> response) {
        NodeVolumes volumes = volumes(NodeGrpc.getNodePublishVolumeMethod());
        String volumeId = volumeId(request.getVolumeId());
        StatusMapper.required(request.getTargetPath(), "target_path");
        requireCapability(request.hasVolumeCapability());
        Path target = paths.check(request.getTargetPath(), "target_path");
        Optional<Path> stagingPath = request.getStagingTargetPath().isEmpty()
                ? Optional.empty()
                : Optional.of(paths.check(request.getStagingTargetPath(), "staging_target_path"));
        VolumeCapability capability = Protos.capability(request.getVolumeCapability());
        if (stagingPath.isPresent() && stagingPath.get().equals(target)) {
            throw StatusMapper.invalidArgument("target_path must differ from staging_target_path");
        }
        PublishRequest publish = new PublishRequest(volumeId, stagingPath, target, capability, request.getReadonly(),
                request.getVolumeContextMap());
        if (staging && stagingPath.isEmpty() && !publish.ephemeral()) {
            // The spec's table names FAILED_PRECONDITION ("Staging target path not set"), not the
            // general INVALID_ARGUMENT. It is silent on NOT_FOUND against it; like a missing field
            // it shows in the request alone, so it is answered before the volume is looked up.
            throw new FailedPrecondition("staging_target_path is required: this driver stages volumes; "
                    + "call NodeStageVolume first");
        }
        volumes.publish(publish);
        response.onNext(NodePublishVolumeResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void nodeUnpublishVolume(NodeUnpublishVolumeRequest request,
                                    StreamObserver<NodeUnpublishVolumeResponse> response) {
        NodeVolumes volumes = volumes(NodeGrpc.getNodeUnpublishVolumeMethod());
        String volumeId = volumeId(request.getVolumeId());
        volumes.unpublish(volumeId, paths.check(request.getTargetPath(), "target_path"));
        response.onNext(NodeUnpublishVolumeResponse.getDefaultInstance());
        response.onCompleted();
    }

    @Override
    public void nodeGetVolumeStats(NodeGetVolumeStatsRequest request,
                                   StreamObserver<NodeGetVolumeStatsResponse> response) {
        NodeVolumes volumes = volumes(NodeGrpc.getNodeGetVolumeStatsMethod());
        String volumeId = volumeId(request.getVolumeId());
        StatusMapper.required(request.getVolumePath(), "volume_path");
        optionalPath(request.getStagingTargetPath(), "staging_target_path");
        // A volume_path no volume can be at is NOT_FOUND; csi-sanity sends "some/path" and expects it.
        Path path = paths.volumePath(request.getVolumePath(), volumeId);
        VolumeUsage usage = volumes.usage(volumeId, path);
        NodeGetVolumeStatsResponse.Builder stats = NodeGetVolumeStatsResponse.newBuilder();
        usage.bytes().ifPresent(counts -> stats.addUsage(usage(counts, Unit.BYTES)));
        usage.inodes().ifPresent(counts -> stats.addUsage(usage(counts, Unit.INODES)));
        stats.setVolumeCondition(VolumeCondition.newBuilder().setAbnormal(usage.abnormal()).setMessage(usage.message()));
        response.onNext(stats.build());
        response.onCompleted();
    }

    @Override
    public void nodeExpandVolume(csi.v1.NodeExpandVolumeRequest request,
                                 StreamObserver<csi.v1.NodeExpandVolumeResponse> response) {
        NodeVolumes volumes = volumes(NodeGrpc.getNodeExpandVolumeMethod());
        if (!expansion) {
            throw Status.UNIMPLEMENTED.withDescription("this driver does not expand volumes on the node").asRuntimeException();
        }
        String volumeId = volumeId(request.getVolumeId());
        StatusMapper.required(request.getVolumePath(), "volume_path");
        optionalPath(request.getStagingTargetPath(), "staging_target_path");
        if (request.hasVolumeCapability()) {
            Protos.capability(request.getVolumeCapability());
        }
        // Negative bounds are INVALID_ARGUMENT; a limit below the required size, OUT_OF_RANGE, is
        // the last thing the request alone shows, so it comes before NOT_FOUND.
        io.csi4j.spi.CapacityRange range = request.hasCapacityRange()
                ? Protos.capacityRange(request.getCapacityRange())
                : io.csi4j.spi.CapacityRange.ANY;
        // A volume_path no volume can be at is NOT_FOUND; csi-sanity sends "some/path" and expects it.
        Path path = paths.volumePath(request.getVolumePath(), volumeId);
        long capacity = volumes.expand(volumeId, path, range);
        response.onNext(csi.v1.NodeExpandVolumeResponse.newBuilder().setCapacityBytes(capacity).build());
        response.onCompleted();
    }

    private static csi.v1.VolumeUsage usage(VolumeUsage.Counts counts, Unit unit) {
        csi.v1.VolumeUsage.Builder usage = csi.v1.VolumeUsage.newBuilder().setUnit(unit);
        // Unknown counts stay unset (zero), as the spec allows.
        if (counts.total() >= 0) {
            usage.setTotal(counts.total());
        }
        if (counts.available() >= 0) {
            usage.setAvailable(counts.available());
        }
        if (counts.used() >= 0) {
            usage.setUsed(counts.used());
        }
        return usage.build();
    }

    /** The backend's node side, or UNIMPLEMENTED for {@code method} when it has none. */
    private NodeVolumes volumes(MethodDescriptor<?, ?> method) {
        return volumes.orElseThrow(() -> StatusMapper.unimplemented(method));
    }

    private static String volumeId(String volumeId) {
        return StatusMapper.required(volumeId, "volume_id");
    }

    private static void requireCapability(boolean present) {
        if (!present) {
            throw StatusMapper.invalidArgument("volume_capability is required");
        }
    }

    /** Checks an OPTIONAL path field the backend does not need: when set, it must be well formed. */
    private void optionalPath(String raw, String field) {
        if (!raw.isEmpty()) {
            paths.check(raw, field);
        }
    }
}
