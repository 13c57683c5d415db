package io.csi4j.server.node;

import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetCapabilitiesResponse;
import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeGetInfoResponse;
import csi.v1.NodeGrpc;
import csi.v1.Topology;
import io.csi4j.server.config.Capabilities;
import io.csi4j.server.config.NodeIdentity;
import io.csi4j.spi.Feature;
import io.grpc.stub.StreamObserver;

/**
 * The Node service. NodeGetInfo names the node (and, for backends whose volumes are tied to a
 * node, its topology segment); RPCs not yet served answer UNIMPLEMENTED.
 */
public final class NodeService extends NodeGrpc.NodeImplBase {

    private final NodeGetCapabilitiesResponse capabilities;
    private final NodeGetInfoResponse info;

    public NodeService(Capabilities capabilities, NodeIdentity node) {
        this.capabilities = NodeGetCapabilitiesResponse.newBuilder()
                .addAllCapabilities(capabilities.node())
                .build();
        NodeGetInfoResponse.Builder info = NodeGetInfoResponse.newBuilder().setNodeId(node.nodeId());
        if (capabilities.features().contains(Feature.VOLUME_TOPOLOGY)) {
            info.setAccessibleTopology(Topology.newBuilder().putAllSegments(node.topology()));
        }
        this.info = info.build();
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
}
