package io.csi4j.cli.identity;

import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginCapabilitiesResponse;
import csi.v1.IdentityGrpc;
import io.csi4j.cli.CapabilityText;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** GetPluginCapabilities. */
@Command(name = "capabilities", description = "GetPluginCapabilities: the services and features the plugin offers.",
        mixinStandardHelpOptions = true)
public final class PluginCapabilitiesCommand extends RpcCommand<GetPluginCapabilitiesResponse> {

    @Override
    protected GetPluginCapabilitiesResponse call(ManagedChannel channel) {
        return withDeadline(IdentityGrpc.newBlockingStub(channel))
                .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance());
    }

    @Override
    protected void printText(GetPluginCapabilitiesResponse response, PrintWriter out) {
        CapabilityText.print(response.getCapabilitiesList().stream().map(capability -> switch (capability.getTypeCase()) {
            case SERVICE -> capability.getService().getType().name();
            case VOLUME_EXPANSION -> "VOLUME_EXPANSION " + capability.getVolumeExpansion().getType().name();
            case TYPE_NOT_SET -> CapabilityText.UNKNOWN;
        }).toList(), out);
    }
}
