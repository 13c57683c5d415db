package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.DeleteSnapshotResponse;
import io.csi4j.cli.SecretRpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** DeleteSnapshot; succeeds also for a snapshot that is already gone, as CSI says. */
@Command(name = "delete-snapshot", description = "DeleteSnapshot: delete a snapshot by ID.", mixinStandardHelpOptions = true)
public final class DeleteSnapshotCommand extends SecretRpcCommand<DeleteSnapshotResponse> {

    @Parameters(index = "0", paramLabel = "SNAPSHOT_ID", description = "The snapshot's ID.")
    String snapshotId;

    /** The request the arguments describe. */
    DeleteSnapshotRequest request() {
        return DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshotId).putAllSecrets(secrets()).build();
    }

    @Override
    protected DeleteSnapshotResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).deleteSnapshot(request());
    }

    @Override
    protected void printText(DeleteSnapshotResponse response, PrintWriter out) {
        out.println("deleted " + snapshotId);
    }
}
