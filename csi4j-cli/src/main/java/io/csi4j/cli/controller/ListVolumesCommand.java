package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import io.csi4j.cli.RpcCommand;
import io.csi4j.cli.VolumeText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** ListVolumes, one page: a line per volume, then the token of the next page when there is one. */
@Command(name = "list-volumes", description = "ListVolumes: the driver's volumes, a page at a time.",
        mixinStandardHelpOptions = true)
public final class ListVolumesCommand extends RpcCommand<ListVolumesResponse> {

    @Option(names = "--max", paramLabel = "N", defaultValue = "0",
            description = "At most this many volumes (default: 0, as many as the driver likes).")
    int maxEntries;

    @Option(names = "--token", paramLabel = "T", description = "Start at this token, from a previous page's \"next token\".")
    String startingToken;

    /** The request the arguments describe. */
    ListVolumesRequest request() {
        if (maxEntries < 0) {
            throw usageError("--max cannot be negative");
        }
        ListVolumesRequest.Builder request = ListVolumesRequest.newBuilder().setMaxEntries(maxEntries);
        if (startingToken != null) {
            request.setStartingToken(startingToken);
        }
        return request.build();
    }

    @Override
    protected ListVolumesResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).listVolumes(request());
    }

    @Override
    protected void printText(ListVolumesResponse response, PrintWriter out) {
        if (response.getEntriesCount() == 0) {
            out.println("(none)");
        }
        for (ListVolumesResponse.Entry entry : response.getEntriesList()) {
            StringBuilder line = new StringBuilder(entry.getVolume().getVolumeId())
                    .append("  ").append(VolumeText.capacity(entry.getVolume().getCapacityBytes()));
            if (entry.hasStatus()) {
                ListVolumesResponse.VolumeStatus status = entry.getStatus();
                if (status.getPublishedNodeIdsCount() > 0) {
                    line.append("  published: ").append(String.join(",", status.getPublishedNodeIdsList()));
                }
                if (status.hasVolumeCondition() && status.getVolumeCondition().getAbnormal()) {
                    line.append("  ").append(VolumeText.condition(status.getVolumeCondition()));
                }
            }
            out.println(line);
        }
        if (!response.getNextToken().isEmpty()) {
            out.println("next token: " + response.getNextToken());
        }
    }
}
