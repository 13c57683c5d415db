package io.csi4j.kernel.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A test fixture's command: argv, no shell, output and errors merged, bounded in time. */
final class Command {

    record Result(int exitCode, String output) {}

    private static final long TIMEOUT_SECONDS = 120;

    private Command() {}

    static Result run(String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("csi4j-cmd-", ".out");
        try {
            Process process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", argv) + " did not finish in " + TIMEOUT_SECONDS + " s: "
                        + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs the command, fails with its output unless it exits 0, and returns its output stripped. */
    static String ok(String... argv) throws IOException, InterruptedException {
        Result result = run(argv);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", List.of(argv)) + " exited " + result.exitCode() + ": "
                    + result.output().strip());
        }
        return result.output().strip();
    }
}
