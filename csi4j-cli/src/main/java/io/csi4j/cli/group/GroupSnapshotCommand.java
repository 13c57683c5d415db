package io.csi4j.cli.group;

import com.google.protobuf.Message;
import io.csi4j.cli.SecretRpcCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What DeleteVolumeGroupSnapshot and GetVolumeGroupSnapshot both take: the group snapshot's ID
 * and, as CSI requires, the IDs of its member snapshots, so the driver can report a mismatch.
 */
abstract class GroupSnapshotCommand<R extends Message> extends SecretRpcCommand<R> {

    @Parameters(index = "0", paramLabel = "GROUP_ID", description = "The group snapshot's ID.")
    String groupSnapshotId;

    @Option(names = "--snapshot-id", paramLabel = "ID", required = true,
            description = "The ID of a member snapshot; repeatable, every member (CSI requires them).")
    List<String> snapshotIds = new ArrayList<>();

    /** {@code --snapshot-id}s in order; a usage error for an ID given twice. */
    List<String> snapshotIds() {
        String repeated = GroupIds.repeated(snapshotIds);
        if (repeated != null) {
            throw usageError("--snapshot-id: snapshot '" + repeated + "' given twice");
        }
        return snapshotIds;
    }
}
