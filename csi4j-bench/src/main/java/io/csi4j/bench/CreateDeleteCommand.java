package io.csi4j.bench;

import io.csi4j.bench.run.Workload;
import io.csi4j.bench.workload.CreateDelete;
import picocli.CommandLine.Command;

/** {@code bench create-delete}. */
@Command(name = "create-delete", mixinStandardHelpOptions = true,
        description = "CreateVolume then DeleteVolume, repeated.")
final class CreateDeleteCommand extends WorkloadCommand {

    @Override
    Workload workload() {
        return new CreateDelete();
    }
}
