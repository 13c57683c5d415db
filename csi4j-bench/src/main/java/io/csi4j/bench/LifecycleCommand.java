package io.csi4j.bench;

import io.csi4j.bench.run.Cleaner;
import io.csi4j.bench.run.Workload;
import io.csi4j.bench.workload.Lifecycle;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench lifecycle}. */
@Command(name = "lifecycle", mixinStandardHelpOptions = true,
        description = {"A volume's life: create, controller-publish (if advertised), stage (if advertised), publish,",
                "then unpublish, unstage, controller-unpublish, delete."})
final class LifecycleCommand extends WorkloadCommand {

    @Option(names = "--staging-dir", paramLabel = "DIR",
            description = "Where staging directories are made, one per volume (default: <state dir>/<prefix>/staging).")
    Path stagingDir;

    @Option(names = "--target-dir", paramLabel = "DIR",
            description = "Where target paths are, one per volume (default: <state dir>/<prefix>/target).")
    Path targetDir;

    @Override
    Workload workload() {
        return new Lifecycle(staging(), target());
    }

    @Override
    void finish() {
        // the default directories are the run's own; directories the user named are left alone
        if (stagingDir == null) {
            Cleaner.removeDirectory(staging().toString());
        }
        if (targetDir == null) {
            Cleaner.removeDirectory(target().toString());
        }
        if (stagingDir == null && targetDir == null) {
            Cleaner.removeDirectory(runDirectory().toString());
        }
    }

    private Path staging() {
        return stagingDir != null ? stagingDir : runDirectory().resolve("staging");
    }

    private Path target() {
        return targetDir != null ? targetDir : runDirectory().resolve("target");
    }

    private Path runDirectory() {
        return run.stateDir().resolve(run.prefix());
    }
}
