package io.csi4j.cli.node;

import csi.v1.NodeGrpc;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnpublishVolumeResponse;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** NodeUnpublishVolume: undo NodePublishVolume at a target path. */
@Command(name = "unpublish", description = "NodeUnpublishVolume: unpublish a volume from its target path.",
        mixinStandardHelpOptions = true)
public final class UnpublishCommand extends RpcCommand<NodeUnpublishVolumeResponse> {

    @Parameters(index = "0", paramLabel = "VOLUME_ID", description = "The volume's ID.")
    String volumeId;

    @Option(names = "--target-path", paramLabel = "PATH", required = true,
            description = "Where the volume is published (target_path).")
    String targetPath;

    /** The request the arguments describe. */
    NodeUnpublishVolumeRequest request() {
        return NodeUnpublishVolumeRequest.newBuilder().setVolumeId(volumeId).setTargetPath(targetPath).build();
    }

    @Override
    protected NodeUnpublishVolumeResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodeUnpublishVolume(request());
    }

    @Override
    protected void printText(NodeUnpublishVolumeResponse response, PrintWriter out) {
        out.println("unpublished " + volumeId + " from " + targetPath);
    }
}
