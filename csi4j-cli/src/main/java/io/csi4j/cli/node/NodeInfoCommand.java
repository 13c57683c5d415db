package io.csi4j.cli.node;

import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeGetInfoResponse;
import csi.v1.NodeGrpc;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/** NodeGetInfo. */
@Command(name = "info", description = "NodeGetInfo: the node's ID, volume limit and topology.", mixinStandardHelpOptions = true)
public final class NodeInfoCommand extends RpcCommand<NodeGetInfoResponse> {

    @Override
    protected NodeGetInfoResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());
    }

    @Override
    protected void printText(NodeGetInfoResponse info, PrintWriter out) {
        out.println("node id:     " + info.getNodeId());
        out.println("max volumes: " + (info.getMaxVolumesPerNode() == 0 ? "unlimited" : info.getMaxVolumesPerNode()));
        if (info.hasAccessibleTopology()) {
            out.println("topology:");
            info.getAccessibleTopology().getSegmentsMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> out.println("  " + e.getKey() + ": " + e.getValue()));
        }
    }
}
