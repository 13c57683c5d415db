package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.ListSnapshotsRequest;
import csi.v1.ListSnapshotsResponse;
import io.csi4j.cli.SecretRpcCommand;
import io.csi4j.cli.SnapshotText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ListSnapshots: a table of snapshots, optionally of one source volume or one snapshot ID; one
 * page and its next token, or with {@code --all} every page, following the tokens to the end.
 */
@Command(name = "list-snapshots", description = "ListSnapshots: the driver's snapshots, a page at a time or --all.",
        mixinStandardHelpOptions = true)
public final class ListSnapshotsCommand extends SecretRpcCommand<ListSnapshotsResponse> {

    @Option(names = "--snapshot-id", paramLabel = "ID", description = "Only the snapshot with this ID.")
    String snapshotId;

    @Option(names = "--source-volume", paramLabel = "VOLUME_ID", description = "Only snapshots of this volume.")
    String sourceVolumeId;

    @Option(names = {"--max-entries", "--max"}, paramLabel = "N", defaultValue = "0",
            description = "At most this many snapshots a page (default: 0, as many as the driver likes).")
    int maxEntries;

    @Option(names = {"--starting-token", "--token"}, paramLabel = "T",
            description = "Start at this token, from a previous page's \"next token\".")
    String startingToken;

    @Option(names = "--all", description = "Follow the next tokens until the last page and show every snapshot."
            + " The deadline (--timeout) applies to each page.")
    boolean all;

    /** The request of the first page the arguments describe. */
    ListSnapshotsRequest request() {
        if (maxEntries < 0) {
            throw usageError("--max-entries cannot be negative");
        }
        ListSnapshotsRequest.Builder request = ListSnapshotsRequest.newBuilder()
                .setMaxEntries(maxEntries)
                .putAllSecrets(secrets());
        if (snapshotId != null) {
            request.setSnapshotId(snapshotId);
        }
        if (sourceVolumeId != null) {
            request.setSourceVolumeId(sourceVolumeId);
        }
        if (startingToken != null) {
            request.setStartingToken(startingToken);
        }
        return request.build();
    }

    @Override
    protected ListSnapshotsResponse call(ManagedChannel channel) {
        ControllerGrpc.ControllerBlockingStub stub = ControllerGrpc.newBlockingStub(channel);
        ListSnapshotsRequest request = request();
        ListSnapshotsResponse page = withDeadline(stub).listSnapshots(request);
        if (!all) {
            return page;
        }
        ListSnapshotsResponse.Builder everything = ListSnapshotsResponse.newBuilder();
        Set<String> tokens = new HashSet<>();
        while (true) {
            everything.addAllEntries(page.getEntriesList());
            String next = page.getNextToken();
            if (next.isEmpty()) {
                return everything.build();
            }
            if (next.equals(request.getStartingToken()) || !tokens.add(next)) {
                throw new IllegalStateException("the driver returned next token '" + next + "' twice; stopped to avoid"
                        + " listing forever (" + everything.getEntriesCount() + " snapshots so far)");
            }
            request = request.toBuilder().setStartingToken(next).build();
            page = withDeadline(stub).listSnapshots(request);
        }
    }

    @Override
    protected void printText(ListSnapshotsResponse response, PrintWriter out) {
        if (response.getEntriesCount() == 0) {
            out.println("(none)");
        } else {
            SnapshotText.table(response.getEntriesList().stream().map(ListSnapshotsResponse.Entry::getSnapshot).toList(), out);
        }
        if (!response.getNextToken().isEmpty()) {
            out.println("next token: " + response.getNextToken());
        }
    }
}
