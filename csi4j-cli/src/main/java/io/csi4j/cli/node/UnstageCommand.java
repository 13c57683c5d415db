package io.csi4j.cli.node;

import csi.v1.NodeGrpc;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.NodeUnstageVolumeResponse;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** NodeUnstageVolume: undo NodeStageVolume at a staging path. */
@Command(name = "unstage", description = "NodeUnstageVolume: unstage a volume from its staging path.",
        mixinStandardHelpOptions = true)
public final class UnstageCommand extends RpcCommand<NodeUnstageVolumeResponse> {

    @Parameters(index = "0", paramLabel = "VOLUME_ID", description = "The volume's ID.")
    String volumeId;

    @Option(names = "--staging-path", paramLabel = "PATH", required = true,
            description = "Where the volume is staged (staging_target_path).")
    String stagingPath;

    /** The request the arguments describe. */
    NodeUnstageVolumeRequest request() {
        return NodeUnstageVolumeRequest.newBuilder().setVolumeId(volumeId).setStagingTargetPath(stagingPath).build();
    }

    @Override
    protected NodeUnstageVolumeResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodeUnstageVolume(request());
    }

    @Override
    protected void printText(NodeUnstageVolumeResponse response, PrintWriter out) {
        out.println("unstaged " + volumeId + " from " + stagingPath);
    }
}
