package io.csi4j.cli.controller;

import csi.v1.CapacityRange;
import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.ControllerExpandVolumeResponse;
import csi.v1.ControllerGrpc;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.SecretRpcCommand;
import io.csi4j.cli.SizeParser;
import io.csi4j.cli.VolumeText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * ControllerExpandVolume: grow a volume in the storage; says whether the node must then grow it
 * too ({@code node expand}). The capability is sent only when a capability option is given.
 */
@Command(name = "expand", description = "ControllerExpandVolume: expand a volume to a new size.",
        mixinStandardHelpOptions = true)
public final class ExpandVolumeCommand extends SecretRpcCommand<ControllerExpandVolumeResponse> {

    @Parameters(index = "0", paramLabel = "VOLUME_ID", description = "The volume's ID.")
    String volumeId;

    @Option(names = "--size", paramLabel = "SIZE", converter = SizeParser.class, required = true,
            description = "The new size, required bytes: 1000, 10G, 1Gi, 512Mi, ...")
    long size;

    @Mixin
    CapabilityOptions capability;

    /** The request the arguments describe. */
    ControllerExpandVolumeRequest request() {
        ControllerExpandVolumeRequest.Builder request = ControllerExpandVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size))
                .putAllSecrets(secrets());
        if (capability.given()) {
            request.setVolumeCapability(capability.capability());
        }
        return request.build();
    }

    @Override
    protected ControllerExpandVolumeResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).controllerExpandVolume(request());
    }

    @Override
    protected void printText(ControllerExpandVolumeResponse response, PrintWriter out) {
        out.println("expanded " + volumeId + ": capacity " + VolumeText.capacity(response.getCapacityBytes()));
        out.println("node expansion: " + (response.getNodeExpansionRequired() ? "required (node expand)" : "not required"));
    }
}
