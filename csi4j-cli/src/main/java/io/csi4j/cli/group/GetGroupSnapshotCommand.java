package io.csi4j.cli.group;

import csi.v1.GetVolumeGroupSnapshotRequest;
import csi.v1.GetVolumeGroupSnapshotResponse;
import csi.v1.GroupControllerGrpc;
import io.csi4j.cli.SnapshotText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** GetVolumeGroupSnapshot: a group snapshot with its member snapshots. */
@Command(name = "get-snapshot", description = "GetVolumeGroupSnapshot: a group snapshot, its readiness and its members.",
        mixinStandardHelpOptions = true)
public final class GetGroupSnapshotCommand extends GroupSnapshotCommand<GetVolumeGroupSnapshotResponse> {

    /** The request the arguments describe. */
    GetVolumeGroupSnapshotRequest request() {
        return GetVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(groupSnapshotId)
                .addAllSnapshotIds(snapshotIds())
                .putAllSecrets(secrets())
                .build();
    }

    @Override
    protected GetVolumeGroupSnapshotResponse call(ManagedChannel channel) {
        return withDeadline(GroupControllerGrpc.newBlockingStub(channel)).getVolumeGroupSnapshot(request());
    }

    @Override
    protected void printText(GetVolumeGroupSnapshotResponse response, PrintWriter out) {
        SnapshotText.groupSnapshot(response.getGroupSnapshot(), out);
    }
}
