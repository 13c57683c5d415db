package io.csi4j.cli.group;

import csi.v1.CreateVolumeGroupSnapshotRequest;
import csi.v1.CreateVolumeGroupSnapshotResponse;
import csi.v1.GroupControllerGrpc;
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

/** CreateVolumeGroupSnapshot: snapshots several volumes together, idempotent by name. */
@Command(name = "create-snapshot", description = "CreateVolumeGroupSnapshot: snapshot volumes together (idempotent by NAME).",
        mixinStandardHelpOptions = true)
public final class CreateGroupSnapshotCommand extends SecretRpcCommand<CreateVolumeGroupSnapshotResponse> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The group snapshot's name, the key of idempotency.")
    String name;

    @Option(names = "--source", paramLabel = "VOLUME_ID", required = true,
            description = "A volume to snapshot; repeatable, at least one.")
    List<String> sourceVolumeIds = new ArrayList<>();

    @Option(names = "--param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A group snapshot parameter; repeatable.")
    List<KeyValue> params = new ArrayList<>();

    /** The request the arguments describe. */
    CreateVolumeGroupSnapshotRequest request() {
        String repeated = GroupIds.repeated(sourceVolumeIds);
        if (repeated != null) {
            throw usageError("--source: volume '" + repeated + "' given twice");
        }
        return CreateVolumeGroupSnapshotRequest.newBuilder()
                .setName(name)
                .addAllSourceVolumeIds(sourceVolumeIds)
                .putAllParameters(keyValues(params, "--param"))
                .putAllSecrets(secrets())
                .build();
    }

    @Override
    protected CreateVolumeGroupSnapshotResponse call(ManagedChannel channel) {
        return withDeadline(GroupControllerGrpc.newBlockingStub(channel)).createVolumeGroupSnapshot(request());
    }

    @Override
    protected void printText(CreateVolumeGroupSnapshotResponse response, PrintWriter out) {
        SnapshotText.groupSnapshot(response.getGroupSnapshot(), out);
    }
}
