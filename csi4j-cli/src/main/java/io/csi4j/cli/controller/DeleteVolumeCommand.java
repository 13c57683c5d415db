package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.DeleteVolumeRequest;
import csi.v1.DeleteVolumeResponse;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** DeleteVolume; succeeds also for a volume that is already gone, as CSI says. */
@Command(name = "delete-volume", description = "DeleteVolume: delete a volume by ID.", mixinStandardHelpOptions = true)
public final class DeleteVolumeCommand extends RpcCommand<DeleteVolumeResponse> {

    @Parameters(index = "0", paramLabel = "ID", description = "The volume's ID.")
    String volumeId;

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "A secret for the call; repeatable. Never printed.")
    List<KeyValue> secrets = new ArrayList<>();

    /** The request the arguments describe. */
    DeleteVolumeRequest request() {
        try {
            return DeleteVolumeRequest.newBuilder().setVolumeId(volumeId)
                    .putAllSecrets(KeyValues.toMap(secrets, "--secret")).build();
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    @Override
    protected DeleteVolumeResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).deleteVolume(request());
    }

    @Override
    protected Collection<String> secretValues() {
        return KeyValues.values(secrets);
    }

    @Override
    protected void printText(DeleteVolumeResponse response, PrintWriter out) {
        out.println("deleted " + volumeId);
    }
}
