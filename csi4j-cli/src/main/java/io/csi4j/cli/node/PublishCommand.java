package io.csi4j.cli.node;

import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodePublishVolumeResponse;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** NodePublishVolume: make a volume available at a target path, from its staging path when it was staged. */
@Command(name = "publish", description = "NodePublishVolume: publish a volume at a target path on the node.",
        mixinStandardHelpOptions = true)
public final class PublishCommand extends MountingCommand<NodePublishVolumeResponse> {

    @Option(names = "--target-path", paramLabel = "PATH", required = true,
            description = "Where to publish the volume (target_path).")
    String targetPath;

    @Option(names = "--staging-path", paramLabel = "PATH",
            description = "Where the volume was staged, for drivers that stage (staging_target_path).")
    String stagingPath;

    @Option(names = "--readonly", description = "Publish the volume read-only.")
    boolean readonly;

    /** The request the arguments describe. */
    NodePublishVolumeRequest request() {
        NodePublishVolumeRequest.Builder request = NodePublishVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setTargetPath(targetPath)
                .setVolumeCapability(volumeCapability())
                .setReadonly(readonly)
                .putAllVolumeContext(volumeContext())
                .putAllPublishContext(publishContext())
                .putAllSecrets(secrets());
        if (stagingPath != null) {
            request.setStagingTargetPath(stagingPath);
        }
        return request.build();
    }

    @Override
    protected NodePublishVolumeResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodePublishVolume(request());
    }

    @Override
    protected void printText(NodePublishVolumeResponse response, PrintWriter out) {
        out.println("published " + volumeId + " at " + targetPath + (readonly ? " (read-only)" : ""));
    }
}
