package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateSnapshotResponse;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.SecretRpcCommand;
import io.csi4j.cli.SnapshotText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** CreateSnapshot: cuts a snapshot of a volume, idempotent by name. */
@Command(name = "create-snapshot", description = "CreateSnapshot: snapshot a volume (idempotent by NAME).",
        mixinStandardHelpOptions = true)
public final class CreateSnapshotCommand extends SecretRpcCommand<CreateSnapshotResponse> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The snapshot's name, the key of idempotency.")
    String name;

    @Option(names = "--source", paramLabel = "VOLUME_ID", required = true, description = "The volume to snapshot.")
    String sourceVolumeId;

    @Option(names = "--param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A snapshot parameter; repeatable.")
    List<KeyValue> params = new ArrayList<>();

    /** The request the arguments describe. */
    CreateSnapshotRequest request() {
        return CreateSnapshotRequest.newBuilder()
                .setName(name)
                .setSourceVolumeId(sourceVolumeId)
                .putAllParameters(keyValues(params, "--param"))
                .putAllSecrets(secrets())
                .build();
    }

    @Override
    protected CreateSnapshotResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).createSnapshot(request());
    }

    @Override
    protected void printText(CreateSnapshotResponse response, PrintWriter out) {
        SnapshotText.snapshot(response.getSnapshot(), out);
    }
}
