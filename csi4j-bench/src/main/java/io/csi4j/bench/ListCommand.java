package io.csi4j.bench;

import io.csi4j.bench.run.Workload;
import io.csi4j.bench.workload.Listing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench list}. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Whole paginated ListVolumes listings over --volumes volumes made first (and deleted after).",
                "One operation is one whole listing."})
final class ListCommand extends WorkloadCommand {

    @Option(names = "--volumes", defaultValue = "100", paramLabel = "N",
            description = "Volumes to create before listing (default: ${DEFAULT-VALUE}).")
    long volumes;

    @Option(names = "--page-size", defaultValue = "500", paramLabel = "N",
            description = "max_entries of each ListVolumes call; 0 lets the driver choose (default: ${DEFAULT-VALUE}).")
    int pageSize;

    @Override
    Workload workload() {
        return new Listing(volumes, pageSize);
    }
}
