package io.csi4j.bench;

import io.csi4j.bench.journal.Journal;
import io.csi4j.bench.journal.Leftovers;
import io.csi4j.bench.run.Cleaner;
import io.csi4j.bench.run.Csi;
import io.csi4j.bench.stats.Recorder;
import io.csi4j.bench.stats.RpcStats;
import io.csi4j.cli.Channels;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bench cleanup}: removes what runs cut short (by {@code kill -9}, a crash, a driver that
 * went away) left on a driver, from their journals. ListVolumes returns no names, so the journal
 * is the only way to tell a benchmark's volumes from anyone else's.
 */
@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Remove what interrupted runs left on a driver, as their journals list it.",
                "Exit 1 when something could not be removed (its journal stays for another try)."})
final class CleanupCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--prefix", paramLabel = "PREFIX", description = "The run to clean up (default: every journal in the state dir).")
    String prefix;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where journals are kept (default: $CSI4J_STATE_DIR/bench, else <tmp>/csi4j-bench).")
    Path stateDir;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "The driver's endpoint, if it moved (default: the one the run used, from its journal).")
    String endpoint;

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "Secrets for the deleting calls (journals never hold secrets); repeatable.")
    List<KeyValue> secrets = new ArrayList<>();

    @Option(names = {"-c", "--concurrency"}, defaultValue = "4", paramLabel = "N",
            description = "Removals in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Deadline of each call (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        Path dir = stateDir != null ? stateDir : RunOptions.defaultStateDir();
        List<String> prefixes = prefix != null ? List.of(Journal.checkPrefix(prefix)) : Journal.prefixes(dir);
        PrintWriter out = spec.commandLine().getOut();
        boolean allGone = true;
        for (String run : prefixes) {
            Path file = Journal.file(dir, run);
            if (!Files.exists(file)) {
                out.println(run + ": no journal in " + dir + "; nothing to clean up");
                continue;
            }
            allGone &= clean(dir, run, file, out);
        }
        if (prefixes.isEmpty()) {
            out.println("no journals in " + dir + "; nothing to clean up");
        }
        out.flush();
        return allGone ? 0 : WorkloadCommand.FAILED;
    }

    private boolean clean(Path dir, String run, Path file, PrintWriter out) throws IOException {
        try (Journal journal = Journal.open(file)) {
            Leftovers leftovers = journal.leftovers();
            ManagedChannel channel = Channels.open(endpoint != null ? endpoint : leftovers.endpoint());
            Recorder recorder = new Recorder();
            try {
                Csi csi = new Csi(channel, recorder, journal, Duration.ofSeconds(timeoutSeconds),
                        KeyValues.toMap(secrets, "--secret"), leftovers.volumeTemplate(), leftovers.snapshotTemplate());
                new Cleaner(csi, concurrency).clean(leftovers);
            } finally {
                channel.shutdownNow();
            }
            int left = journal.leftovers().pending().size();
            out.println(run + ": " + (leftovers.pending().size() - left) + " removed, " + left + " left");
            for (RpcStats rpc : recorder.summary(0)) {
                rpc.errors().forEach((code, count) -> out.println("  " + rpc.rpc() + " " + code + " x" + count + ": "
                        + rpc.examples().get(code)));
            }
            if (left > 0) {
                return false;
            }
            journal.delete();
            // a lifecycle run's own staging and target directories, if empty now
            Path runDir = dir.resolve(run);
            Cleaner.removeDirectory(runDir.resolve("staging").toString());
            Cleaner.removeDirectory(runDir.resolve("target").toString());
            Cleaner.removeDirectory(runDir.toString());
            return true;
        } catch (IllegalStateException e) {
            out.println(run + ": " + e.getMessage());
            return false;
        }
    }
}
