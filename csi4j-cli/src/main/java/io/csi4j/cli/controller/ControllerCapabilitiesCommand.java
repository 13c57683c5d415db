package io.csi4j.cli.controller;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGetCapabilitiesResponse;
import csi.v1.ControllerGrpc;
import csi.v1.ControllerServiceCapability;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** ControllerGetCapabilities. */
@Command(name = "capabilities", description = "ControllerGetCapabilities: the controller RPCs the plugin serves.",
        mixinStandardHelpOptions = true)
public final class ControllerCapabilitiesCommand extends RpcCommand<ControllerGetCapabilitiesResponse> {

    @Override
    protected ControllerGetCapabilitiesResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel))
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance());
    }

    @Override
    protected void printText(ControllerGetCapabilitiesResponse response, PrintWriter out) {
        if (response.getCapabilitiesCount() == 0) {
            out.println("(none)");
        }
        for (ControllerServiceCapability capability : response.getCapabilitiesList()) {
            out.println(capability.hasRpc() ? capability.getRpc().getType().name() : "(unknown capability)");
        }
    }
}
