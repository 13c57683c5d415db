package io.csi4j.cli.node;

import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetCapabilitiesResponse;
import csi.v1.NodeGrpc;
import io.csi4j.cli.CapabilityText;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** NodeGetCapabilities. */
@Command(name = "capabilities", description = "NodeGetCapabilities: the node RPCs the plugin serves.",
        mixinStandardHelpOptions = true)
public final class NodeCapabilitiesCommand extends RpcCommand<NodeGetCapabilitiesResponse> {

    @Override
    protected NodeGetCapabilitiesResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance());
    }

    @Override
    protected void printText(NodeGetCapabilitiesResponse response, PrintWriter out) {
        CapabilityText.print(response.getCapabilitiesList().stream()
                .map(capability -> capability.hasRpc() ? capability.getRpc().getType().name() : CapabilityText.UNKNOWN)
                .toList(), out);
    }
}
