package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.GetSnapshotRequest;
import csi.v1.GetSnapshotResponse;
import io.csi4j.cli.SecretRpcCommand;
import io.csi4j.cli.SnapshotText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** GetSnapshot (alpha in CSI): one snapshot by ID. */
@Command(name = "get-snapshot", description = "GetSnapshot: a snapshot, its size, creation time and readiness.",
        mixinStandardHelpOptions = true)
public final class GetSnapshotCommand extends SecretRpcCommand<GetSnapshotResponse> {

    @Parameters(index = "0", paramLabel = "SNAPSHOT_ID", description = "The snapshot's ID.")
    String snapshotId;

    /** The request the arguments describe. */
    GetSnapshotRequest request() {
        return GetSnapshotRequest.newBuilder().setSnapshotId(snapshotId).putAllSecrets(secrets()).build();
    }

    @Override
    protected GetSnapshotResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).getSnapshot(request());
    }

    @Override
    protected void printText(GetSnapshotResponse response, PrintWriter out) {
        SnapshotText.snapshot(response.getSnapshot(), out);
    }
}
