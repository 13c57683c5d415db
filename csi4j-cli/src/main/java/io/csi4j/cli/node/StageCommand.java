package io.csi4j.cli.node;

import csi.v1.NodeGrpc;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeStageVolumeResponse;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** NodeStageVolume: make a volume ready on this node at a staging path, for publishing later. */
@Command(name = "stage", description = "NodeStageVolume: stage a volume at a staging path on the node.",
        mixinStandardHelpOptions = true)
public final class StageCommand extends MountingCommand<NodeStageVolumeResponse> {

    @Option(names = "--staging-path", paramLabel = "PATH", required = true,
            description = "Where to stage the volume (staging_target_path).")
    String stagingPath;

    /** The request the arguments describe. */
    NodeStageVolumeRequest request() {
        return NodeStageVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setStagingTargetPath(stagingPath)
                .setVolumeCapability(volumeCapability())
                .putAllVolumeContext(volumeContext())
                .putAllPublishContext(publishContext())
                .putAllSecrets(secrets())
                .build();
    }

    @Override
    protected NodeStageVolumeResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodeStageVolume(request());
    }

    @Override
    protected void printText(NodeStageVolumeResponse response, PrintWriter out) {
        out.println("staged " + volumeId + " at " + stagingPath);
    }
}
