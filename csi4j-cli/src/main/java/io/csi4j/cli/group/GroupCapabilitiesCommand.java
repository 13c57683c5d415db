package io.csi4j.cli.group;

import csi.v1.GroupControllerGetCapabilitiesRequest;
import csi.v1.GroupControllerGetCapabilitiesResponse;
import csi.v1.GroupControllerGrpc;
import io.csi4j.cli.CapabilityText;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** GroupControllerGetCapabilities. */
@Command(name = "capabilities", description = "GroupControllerGetCapabilities: the group controller RPCs the plugin serves.",
        mixinStandardHelpOptions = true)
public final class GroupCapabilitiesCommand extends RpcCommand<GroupControllerGetCapabilitiesResponse> {

    @Override
    protected GroupControllerGetCapabilitiesResponse call(ManagedChannel channel) {
        return withDeadline(GroupControllerGrpc.newBlockingStub(channel))
                .groupControllerGetCapabilities(GroupControllerGetCapabilitiesRequest.getDefaultInstance());
    }

    @Override
    protected void printText(GroupControllerGetCapabilitiesResponse response, PrintWriter out) {
        CapabilityText.print(response.getCapabilitiesList().stream()
                .map(capability -> capability.hasRpc() ? capability.getRpc().getType().name() : CapabilityText.UNKNOWN)
                .toList(), out);
    }
}
