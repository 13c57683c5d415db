package io.csi4j.bench;

import csi.v1.CreateSnapshotRequest;
import io.csi4j.bench.run.Workload;
import io.csi4j.bench.workload.SnapshotCycle;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench snapshot}. */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "CreateSnapshot then DeleteSnapshot of one volume made first (and deleted after).")
final class SnapshotCommand extends WorkloadCommand {

    @Option(names = "--snapshot-param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A CreateSnapshot parameter (as a VolumeSnapshotClass gives); repeatable.")
    List<KeyValue> snapshotParameters = new ArrayList<>();

    @Override
    Workload workload() {
        return new SnapshotCycle();
    }

    @Override
    CreateSnapshotRequest snapshotTemplate() {
        return CreateSnapshotRequest.newBuilder()
                .putAllParameters(KeyValues.toMap(snapshotParameters, "--snapshot-param")).build();
    }
}
