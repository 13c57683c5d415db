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
import io.csi4j.spi.Feature;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
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

    @Override
    public void nodeStageVolume(NodeStageVolumeRequest request, StreamObserver<NodeStageVolumeResponse> response) {
        NodeVolumes volumes = volumes(NodeGrpc.getNodeStageVolumeMethod());
        if (!staging) {
            throw Status.UNIMPLEMENTED.withDescription("this driver does not stage volumes").asRuntimeException();
        }
        String volumeId = volumeId(request.getVolumeId());
        Path stagingPath = paths.check(request.getStagingTargetPath(), "staging_target_path");
        if (!request.hasVolumeCapability()) {
            throw StatusMapper.invalidArgument("volume_capability is required");
        }
        volumes.stage(new StageRequest(volumeId, stagingPath, Protos.capability(request.getVolumeCapability()),
                request.getVolumeContextMap()));
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
        Path target = paths.check(request.getTargetPath(), "target_path");
        if (!request.hasVolumeCapability()) {
            throw StatusMapper.invalidArgument("volume_capability is required");
        }
        Optional<Path> stagingPath = request.getStagingTargetPath().isEmpty()
                ? Optional.empty()
                : Optional.of(paths.check(request.getStagingTargetPath(), "staging_target_path"));
        PublishRequest publish = new PublishRequest(volumeId, stagingPath, target,
                Protos.capability(request.getVolumeCapability()), request.getReadonly(), request.getVolumeContextMap());
        if (staging && stagingPath.isEmpty() && !publish.ephemeral()) {
            // The spec makes it mandatory once STAGE_UNSTAGE_VOLUME is advertised.
            throw StatusMapper.invalidArgument("staging_target_path is required: this driver stages volumes");
        }
        if (stagingPath.isPresent() && stagingPath.get().equals(target)) {
            throw StatusMapper.invalidArgument("target_path must differ from staging_target_path");
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
        Path path = paths.check(request.getVolumePath(), "volume_path");
        if (!request.getStagingTargetPath().isEmpty()) {
            paths.check(request.getStagingTargetPath(), "staging_target_path");
        }
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
        Path path = paths.check(request.getVolumePath(), "volume_path");
        if (!request.getStagingTargetPath().isEmpty()) {
            paths.check(request.getStagingTargetPath(), "staging_target_path");
        }
        if (request.hasVolumeCapability()) {
            Protos.capability(request.getVolumeCapability());
        }
        io.csi4j.spi.CapacityRange range = request.hasCapacityRange()
                ? Protos.capacityRange(request.getCapacityRange())
                : io.csi4j.spi.CapacityRange.ANY;
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
}
