package io.csi4j.cli.controller;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGetCapabilitiesResponse;
import csi.v1.ControllerGrpc;
import io.csi4j.cli.CapabilityText;
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
        CapabilityText.print(response.getCapabilitiesList().stream()
                .map(capability -> capability.hasRpc() ? capability.getRpc().getType().name() : CapabilityText.UNKNOWN)
                .toList(), out);
    }
}
