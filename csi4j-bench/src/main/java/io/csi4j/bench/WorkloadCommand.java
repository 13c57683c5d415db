package io.csi4j.bench;

import csi.v1.CreateSnapshotRequest;
import io.csi4j.bench.journal.Journal;
import io.csi4j.bench.run.Bench;
import io.csi4j.bench.run.Csi;
import io.csi4j.bench.run.Plan;
import io.csi4j.bench.run.Progress;
import io.csi4j.bench.run.StopSignal;
import io.csi4j.bench.run.Workload;
import io.csi4j.bench.stats.Recorder;
import io.csi4j.bench.stats.Report;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.Channels;
import io.grpc.ManagedChannel;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The common part of the workload commands: options, the journal, the run, the report and the
 * exit code (0; 1 when more calls failed than {@code --max-errors}, the setup failed or
 * something was left behind; 130 after Ctrl-C).
 */
abstract class WorkloadCommand implements Callable<Integer> {

    static final int FAILED = 1;
    static final int INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Mixin
    VolumeOptions volume;

    @Mixin
    CapabilityOptions capability;

    /** The workload, built from the options. */
    abstract Workload workload();

    /** CreateSnapshotRequest without name, source and secrets; only {@code snapshot} sets parameters. */
    CreateSnapshotRequest snapshotTemplate() {
        return CreateSnapshotRequest.getDefaultInstance();
    }

    /** After the run: remove what the command itself made outside the driver (directories). */
    void finish() {}

    @Override
    public final Integer call() throws IOException {
        Plan plan;
        Workload workload;
        try {
            plan = new Plan(endpoint(spec), run.prefix(), run.limit(), run.concurrency, run.warmup);
            Journal.checkPrefix(plan.prefix());
            workload = workload();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintStream out = System.out;
        StopSignal stop = StopSignal.install(System.err); // before anything exists on the driver
        ManagedChannel channel = Channels.open(plan.endpoint());
        Report report;
        try (Journal journal = Journal.create(run.stateDir(), plan.prefix(), plan.endpoint(),
                volume.template(capability), snapshotTemplate())) {
            Csi csi = new Csi(channel, new Recorder(), journal, Duration.ofSeconds(run.timeoutSeconds), volume.secrets(),
                    journal.leftovers().volumeTemplate(), snapshotTemplate());
            report = Bench.run(workload, csi, plan, stop, Progress.on(out, terminal()));
            if (report.leftBehind() == 0) {
                journal.delete();
            }
        } finally {
            channel.shutdownNow();
            finish();
        }
        out.print(run.output.format(report));
        out.flush();
        if (report.interrupted()) {
            return INTERRUPTED;
        }
        if (!report.failure().isEmpty() || report.leftBehind() > 0 || report.errors() > run.maxErrors) {
            if (report.errors() > run.maxErrors) {
                System.err.println("csi4j bench: " + report.errors() + " calls failed (--max-errors " + run.maxErrors + ")");
            }
            return FAILED;
        }
        return 0;
    }

    /** The root command's {@code --endpoint}. */
    static String endpoint(CommandSpec spec) {
        OptionSpec option = spec.root().findOption("--endpoint");
        if (option == null || option.getValue() == null) {
            throw new IllegalArgumentException("no endpoint: pass --endpoint unix:///PATH");
        }
        return option.getValue();
    }

    /** Whether stdout is a terminal: the live progress line is for people, not for pipes. */
    private static boolean terminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }
}
