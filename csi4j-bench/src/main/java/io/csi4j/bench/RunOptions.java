package io.csi4j.bench;

import io.csi4j.bench.run.Limit;
import io.csi4j.bench.stats.ReportFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** Options of every workload: how much, how parallel, where the journal goes, what to print. */
final class RunOptions {

    @Option(names = "--ops", paramLabel = "N", description = "Operations to run (default: 100, or as many as --duration allows).")
    Long operations;

    @Option(names = "--duration", paramLabel = "TIME", converter = Durations.class,
            description = "Run for this long instead of a number of operations: 500ms, 30s, 5m, 1h.")
    Duration duration;

    @Option(names = {"-c", "--concurrency"}, defaultValue = "1", paramLabel = "N",
            description = "Operations in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--warmup", defaultValue = "0", paramLabel = "N",
            description = "Operations run first and not measured (default: ${DEFAULT-VALUE}).")
    long warmup;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Deadline of each call (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--max-errors", defaultValue = "0", paramLabel = "N",
            description = "Exit 1 when more calls than this failed (default: ${DEFAULT-VALUE}).")
    long maxErrors;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ReportFormat output;

    @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "Start of every name this run gives, and the name of its journal (default: bench-<random>).")
    String prefix;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where journals of runs are kept (default: $CSI4J_STATE_DIR/bench, else <tmp>/csi4j-bench).")
    Path stateDir;

    Limit limit() {
        if (duration != null && operations != null) {
            throw new IllegalArgumentException("give --ops or --duration, not both");
        }
        return duration != null ? new Limit.Time(duration) : new Limit.Count(operations == null ? 100 : operations);
    }

    String prefix() {
        if (prefix == null) {
            prefix = "bench-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        }
        return prefix;
    }

    Path stateDir() {
        return stateDir != null ? stateDir : defaultStateDir();
    }

    static Path defaultStateDir() {
        String state = System.getenv("CSI4J_STATE_DIR");
        return state != null && !state.isEmpty()
                ? Path.of(state, "bench")
                : Path.of(System.getProperty("java.io.tmpdir"), "csi4j-bench");
    }
}
