package io.csi4j.bench;

import io.csi4j.bench.run.Workload;
import io.csi4j.bench.workload.Fill;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench fill}. */
@Command(name = "fill", mixinStandardHelpOptions = true,
        description = {"CreateVolume of --ops volumes that are kept, with latency per block of volumes;",
                "then all of them are deleted."})
final class FillCommand extends WorkloadCommand {

    @Option(names = "--block-size", defaultValue = "1000", paramLabel = "N",
            description = "Volumes per latency block (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Override
    Workload workload() {
        return new Fill(blockSize);
    }
}
