package io.csi4j.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code csi4j bench}: the workloads and {@code cleanup}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Drive any CSI driver (the root --endpoint) with a workload; report throughput, latency",
                "per RPC and errors by gRPC code. Everything a run makes is journaled and removed at its end,",
                "also after Ctrl-C; `bench cleanup` removes what a killed run left."},
        subcommands = {CreateDeleteCommand.class, LifecycleCommand.class, SnapshotCommand.class, ListCommand.class,
                FillCommand.class, CleanupCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
