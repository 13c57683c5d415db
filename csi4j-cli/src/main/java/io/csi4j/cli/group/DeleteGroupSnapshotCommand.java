package io.csi4j.cli.group;

import csi.v1.DeleteVolumeGroupSnapshotRequest;
import csi.v1.DeleteVolumeGroupSnapshotResponse;
import csi.v1.GroupControllerGrpc;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** DeleteVolumeGroupSnapshot: deletes a group snapshot with its members; succeeds also when it is already gone. */
@Command(name = "delete-snapshot", description = "DeleteVolumeGroupSnapshot: delete a group snapshot and its member snapshots.",
        mixinStandardHelpOptions = true)
public final class DeleteGroupSnapshotCommand extends GroupSnapshotCommand<DeleteVolumeGroupSnapshotResponse> {

    /** The request the arguments describe. */
    DeleteVolumeGroupSnapshotRequest request() {
        return DeleteVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(groupSnapshotId)
                .addAllSnapshotIds(snapshotIds())
                .putAllSecrets(secrets())
                .build();
    }

    @Override
    protected DeleteVolumeGroupSnapshotResponse call(ManagedChannel channel) {
        return withDeadline(GroupControllerGrpc.newBlockingStub(channel)).deleteVolumeGroupSnapshot(request());
    }

    @Override
    protected void printText(DeleteVolumeGroupSnapshotResponse response, PrintWriter out) {
        int members = snapshotIds.size();
        out.println("deleted " + groupSnapshotId + " (" + members + " snapshot" + (members == 1 ? "" : "s") + ")");
    }
}
