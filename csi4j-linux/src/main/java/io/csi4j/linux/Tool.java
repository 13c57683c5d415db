package io.csi4j.linux;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a system tool (mkfs, fsck) from its argv, never through a shell: stdin from /dev/null so
 * it can never wait on a prompt, a timeout that kills it and its children, and only the tail of
 * its output kept, so a chatty or looping tool cannot fill the heap. One place for Mkfs and Fsck.
 */
public final class Tool {

    /** Where tools are looked for, in order; PATH is not trusted. */
    public static final List<Path> SEARCH_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"));
    /** The most output kept: the last this many bytes, cut to whole lines. */
    static final int TAIL_BYTES = 4096;

    /** How a run ended: the exit code and the last lines of stdout and stderr, interleaved. */
    public record Result(int exitCode, String output) {}

    private Tool() {}

    /** The first executable {@code name} in {@code dirs}, or a NOT_FOUND {@link ToolException}. */
    public static Path locate(String name, List<Path> dirs) throws ToolException {
        for (Path dir : dirs) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new ToolException(ToolException.Reason.NOT_FOUND, name, -1, "",
                name + " not found in " + dirs + "; install the package that provides it");
    }

    /** Runs {@code argv} to the end, or kills it after {@code timeout} (a TIMED_OUT {@link ToolException}). */
    public static Result run(List<String> argv, Duration timeout) throws IOException {
        String tool = Path.of(argv.getFirst()).getFileName().toString();
        long start = System.nanoTime();
        ToolRuns.Outcome outcome = ToolRuns.Outcome.error;
        try {
            Result result = runOnce(argv, timeout);
            outcome = result.exitCode() == 0 ? ToolRuns.Outcome.ok : ToolRuns.Outcome.failed;
            return result;
        } catch (ToolException e) {
            outcome = e.reason() == ToolException.Reason.TIMED_OUT ? ToolRuns.Outcome.timed_out : ToolRuns.Outcome.error;
            throw e;
        } finally {
            ToolRuns.listener().finished(tool, outcome, System.nanoTime() - start);
        }
    }

    private static Result runOnce(List<String> argv, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("LC_ALL", "C"); // messages in one language, for logs and tests
        Process p = pb.start();
        Tail tail = new Tail();
        Thread reader = Thread.ofVirtual().name("tool-output " + argv.getFirst()).start(() -> tail.drain(p.getInputStream()));
        boolean finished;
        try {
            finished = p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new ToolException(ToolException.Reason.TIMED_OUT, argv.getFirst(), -1, tail.text(),
                    argv.getFirst() + " interrupted, killed");
        }
        if (!finished) {
            kill(p);
        }
        try {
            reader.join(Duration.ofSeconds(5)); // a grandchild could hold the pipe open; do not wait on it forever
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!finished) {
            throw new ToolException(ToolException.Reason.TIMED_OUT, argv.getFirst(), -1, tail.text(),
                    argv.getFirst() + " did not finish within " + timeout + ", killed");
        }
        return new Result(p.exitValue(), tail.text());
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A ring buffer keeping the last {@link #TAIL_BYTES} bytes of a stream. */
    private static final class Tail {
        private final byte[] ring = new byte[TAIL_BYTES];
        private long total;

        void drain(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    append(chunk, n);
                }
            } catch (IOException e) {
                // the pipe closed under us (the process was killed): keep what was read
            }
        }

        private synchronized void append(byte[] chunk, int n) {
            int skip = Math.max(0, n - TAIL_BYTES); // bytes that would be overwritten at once
            total += skip;
            for (int i = skip; i < n; i++) {
                ring[(int) (total++ % TAIL_BYTES)] = chunk[i];
            }
        }

        synchronized String text() {
            int size = (int) Math.min(total, TAIL_BYTES);
            byte[] out = new byte[size];
            for (int i = 0; i < size; i++) {
                out[i] = ring[(int) ((total - size + i) % TAIL_BYTES)];
            }
            String s = new String(out, StandardCharsets.UTF_8);
            if (total > TAIL_BYTES) {
                int nl = s.indexOf('\n'); // drop the partial first line
                s = nl >= 0 ? s.substring(nl + 1) : s;
            }
            return s.strip();
        }
    }
}
