package io.csi4j.cli.node;

import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGetVolumeStatsResponse;
import csi.v1.NodeGrpc;
import csi.v1.VolumeUsage;
import io.csi4j.cli.RpcCommand;
import io.csi4j.cli.SizeFormat;
import io.csi4j.cli.TextTable;
import io.csi4j.cli.VolumeText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * NodeGetVolumeStats: the usage of a published (or staged) volume as a table of used, available
 * and total, bytes also in human sizes, then its condition when the driver reports one.
 */
@Command(name = "stats", description = "NodeGetVolumeStats: bytes and inodes used by a volume, and its condition.",
        mixinStandardHelpOptions = true)
public final class StatsCommand extends RpcCommand<NodeGetVolumeStatsResponse> {

    @Parameters(index = "0", paramLabel = "VOLUME_ID", description = "The volume's ID.")
    String volumeId;

    @Option(names = "--path", paramLabel = "PATH", required = true,
            description = "A path where the volume is published or staged (volume_path).")
    String volumePath;

    @Option(names = "--staging-path", paramLabel = "PATH", description = "Where the volume is staged (staging_target_path).")
    String stagingPath;

    /** The request the arguments describe. */
    NodeGetVolumeStatsRequest request() {
        NodeGetVolumeStatsRequest.Builder request = NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(volumeId)
                .setVolumePath(volumePath);
        if (stagingPath != null) {
            request.setStagingTargetPath(stagingPath);
        }
        return request.build();
    }

    @Override
    protected NodeGetVolumeStatsResponse call(ManagedChannel channel) {
        return withDeadline(NodeGrpc.newBlockingStub(channel)).nodeGetVolumeStats(request());
    }

    @Override
    protected void printText(NodeGetVolumeStatsResponse response, PrintWriter out) {
        if (response.getUsageCount() == 0) {
            out.println("(no usage reported)");
        } else {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("", "used", "available", "total"));
            for (VolumeUsage usage : response.getUsageList()) {
                rows.add(List.of(usage.getUnit().name().toLowerCase(Locale.ROOT),
                        amount(usage, usage.getUsed()), amount(usage, usage.getAvailable()), amount(usage, usage.getTotal())));
            }
            TextTable.print(rows, "", out);
        }
        if (response.hasVolumeCondition()) {
            VolumeText.field(out, "condition", VolumeText.condition(response.getVolumeCondition()));
        }
    }

    /** Bytes as {@code 1073741824 (1 GiB)}, other units as the bare number. */
    private static String amount(VolumeUsage usage, long value) {
        return usage.getUnit() == VolumeUsage.Unit.BYTES ? SizeFormat.describe(value) : Long.toString(value);
    }
}
