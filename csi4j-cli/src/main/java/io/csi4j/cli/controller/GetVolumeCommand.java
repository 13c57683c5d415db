package io.csi4j.cli.controller;

import csi.v1.ControllerGetVolumeRequest;
import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ControllerGrpc;
import io.csi4j.cli.RpcCommand;
import io.csi4j.cli.VolumeText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** ControllerGetVolume: one volume with the nodes it is published to and its condition. */
@Command(name = "get-volume", description = "ControllerGetVolume: a volume, where it is published and its condition.",
        mixinStandardHelpOptions = true)
public final class GetVolumeCommand extends RpcCommand<ControllerGetVolumeResponse> {

    @Parameters(index = "0", paramLabel = "ID", description = "The volume's ID.")
    String volumeId;

    /** The request the arguments describe. */
    ControllerGetVolumeRequest request() {
        return ControllerGetVolumeRequest.newBuilder().setVolumeId(volumeId).build();
    }

    @Override
    protected ControllerGetVolumeResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).controllerGetVolume(request());
    }

    @Override
    protected void printText(ControllerGetVolumeResponse response, PrintWriter out) {
        VolumeText.volume(response.getVolume(), out);
        if (response.hasStatus()) {
            ControllerGetVolumeResponse.VolumeStatus status = response.getStatus();
            if (status.getPublishedNodeIdsCount() > 0) {
                VolumeText.field(out, "published", String.join(", ", status.getPublishedNodeIdsList()));
            }
            if (status.hasVolumeCondition()) {
                VolumeText.field(out, "condition", VolumeText.condition(status.getVolumeCondition()));
            }
        }
    }
}
