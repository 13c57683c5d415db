package io.csi4j.cli.node;

import csi.v1.CapacityRange;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeExpandVolumeResponse;
import csi.v1.NodeGrpc;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.RpcCommand;
import io.csi4j.cli.SizeParser;
import io.csi4j.cli.VolumeText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * NodeExpandVolume: grow the volume (usually its file system) on the node after the controller
 * grew it; the capability is sent only when a capability option is given.
 */
@Command(name = "expand", description = "NodeExpandVolume: expand a volume on the node to a new size.",
        mixinStandardHelpOptions = true)
public final class ExpandCommand extends RpcCommand<NodeExpandVolumeResponse> {

    @Parameters(index = "0", paramLabel = "VOLUME_ID", description = "The volume's ID.")
    String volumeId;

    @Option(names = "--path", paramLabel = "PATH", required = true,
            description = "A path where the volume is published or staged (volume_path).")
    String volumePath;

    @Option(names = "--size", paramLabel = "SIZE", converter = SizeParser.class, required = true,
            description = "The new size, required bytes: 1000, 10G, 1Gi, 512Mi, ...")
    long size;

    @Option(names = "--staging-path", paramLabel = "PATH", description = "Where the volume is staged (staging_target_path).")
    String stagingPath;

    @Mixin
    CapabilityOptions capability;

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "A secret for the call; repeatable. Never printed.")
    List<KeyValue> secrets = new ArrayList<>();

    /** The request the arguments describe. */
    NodeExpandVolumeRequest request() {
        NodeExpandVolumeRequest.Builder request = NodeExpandVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setVolumePath(volumePath)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size))
                .putAllSecrets(keyValues(secrets, "--secret"));
        if (stagingPath != null) {
            request.setStagingTargetPath(stagingPath);
        }
        if (capability.given()) {
            request.setVolumeCapability(capability.capability());
        }
        return request.build();
    }

    @Override
    protected NodeExpandVolumeResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodeExpandVolume(request());
    }

    @Override
    protected Collection<String> secretValues() {
        return KeyValues.values(secrets);
    }

    @Override
    protected void printText(NodeExpandVolumeResponse response, PrintWriter out) {
        out.println("expanded " + volumeId + ": capacity " + VolumeText.capacity(response.getCapacityBytes()));
    }
}
