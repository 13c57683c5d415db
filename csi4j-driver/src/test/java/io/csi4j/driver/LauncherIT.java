package io.csi4j.driver;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.CsiDriverExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, for real: {@code bin/csi4j serve} on its defaults (state under
 * {@code $CSI4J_STATE_DIR}), the client commands against it, SIGTERM. Runs after packaging,
 * so the launcher finds the build and trains its AOT caches if they are missing. The tests of
 * training itself run on a copy of the distribution ({@code CSI4J_DIST}), never on the build's.
 */
class LauncherIT {

    private static final Path HOME = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = HOME.resolve("bin/csi4j");

    private Path state;
    private Process server;
    /** Processes a test started or saw, killed after it whatever happened. */
    private final List<ProcessHandle> started = new ArrayList<>();

    @BeforeEach
    void stateDir() throws IOException {
        state = Files.createTempDirectory("csi4j-launcher-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor();
        }
        for (ProcessHandle process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        CsiDriverExtension.deleteTree(state);
    }

    @Test
    void serveOnDefaultsAnswersTheClientAndStopsCleanly() throws Exception {
        server = launcher(List.of("serve")).redirectErrorStream(true)
                .redirectOutput(state.resolve("serve.log").toFile()).start();

        Result probe = run("identity", "probe", "--wait", "120");
        assertThat(probe.exitCode()).as(probe + log()).isZero();
        assertThat(probe.stdout()).isEqualTo("ready\n");

        Result info = run("identity", "info");
        assertThat(info.stdout()).startsWith("name:    local.csi4j.io\nversion: ");

        assertThat(state.resolve("csi.sock")).exists();
        assertThat(state.resolve("data")).isDirectory();

        server.destroy(); // SIGTERM to the JVM the launcher exec'd
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).as(log()).isZero();
        assertThat(state.resolve("csi.sock")).doesNotExist();
    }

    @Test
    void versionNamesTheBuildAndTheAotCachesExistAfterwards() throws Exception {
        Result version = run("--version");

        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("csi4j " + Version.value() + "\n");
        Path dist = HOME.resolve("csi4j-driver/target/csi4j");
        assertThat(dist.resolve("serve.aot")).isNotEmptyFile();
        assertThat(dist.resolve("client.aot")).isNotEmptyFile();
    }

    /** A build killed by SIGKILL leaves jars but no marker of a finished build: the next start builds again. */
    @Test
    void aBuildThatDidNotFinishIsRunAgainThoughItsJarsAreThere() throws Exception {
        assertThat(run("--version").exitCode()).isZero(); // built and marked
        Path marker = HOME.resolve("csi4j-driver/target/.csi4j-built");
        assertThat(marker).exists();
        Files.delete(marker); // what a SIGKILL during the build leaves: the marker removed, the jars in place

        Result again = run("--version");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.progress()).contains("csi4j: building");
        assertThat(marker).exists();
        assertThat(run("--version").progress()).doesNotContain("building");
    }

    /** A training killed between its two moves leaves one cache older than the jars: both are trained again. */
    @Test
    void anAotCacheOlderThanTheJarsIsTrainedAgainEvenWhenTheOtherIsFresh() throws Exception {
        Path dist = copyOfTheDistribution();
        Map<String, String> env = Map.of("CSI4J_DIST", dist.toString());
        Result first = run(env, Duration.ofSeconds(300), "--version");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(dist.resolve("client.aot")).isNotEmptyFile();
        Files.setLastModifiedTime(dist.resolve("client.aot"), java.nio.file.attribute.FileTime.fromMillis(0));

        Result again = run(env, Duration.ofSeconds(300), "--version");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.progress()).contains("preparing the JVM's ahead-of-time caches");
        assertThat(Files.getLastModifiedTime(dist.resolve("client.aot")).toMillis()).isPositive();
    }

    @Test
    void unknownFlagExitsTwoWithOneLine() throws Exception {
        Result result = run("serve", "--frobnicate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines()).hasSize(1).first().asString().startsWith("csi4j: Unknown option: '--frobnicate'");
        assertThat(state.resolve("csi.sock")).doesNotExist();
    }

    @Test
    void sigtermDuringAotTrainingTakesTheTrainingJvmsAlongAndTheNextStartIsNotBlocked() throws Exception {
        Path dist = copyOfTheDistribution();
        Map<String, String> env = Map.of("CSI4J_DIST", dist.toString());
        Process launcher = launcher(List.of("--version"), env).redirectErrorStream(true)
                .redirectOutput(state.resolve("launcher.log").toFile()).start();
        started.add(launcher.toHandle());

        List<Proc> children = awaitTrainingClient(launcher);
        started.addAll(children.stream().map(child -> ProcessHandle.of(child.pid())).flatMap(Optional::stream).toList());
        for (Proc child : children) {
            // the launcher's lock descriptors are not inherited (the training server's own data-dir lock is its own)
            assertThat(openFiles(child.pid())).as("files open in %s", child)
                    .noneMatch(file -> file.endsWith(".lock") && !file.endsWith("/data/" + DataDirLock.NAME));
        }
        Path trainingDir = children.stream().map(Proc::trainingDir).flatMap(Optional::stream).findFirst().orElseThrow();
        long ownGroup = Proc.of(launcher.pid()).orElseThrow().group();
        Set<Long> groups = children.stream().map(Proc::group).filter(group -> group != ownGroup).collect(toSet());
        assertThat(groups).as("process groups of the training JVMs").isNotEmpty();

        launcher.destroy(); // SIGTERM, as timeout(1) sends it

        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).as("the launcher exits").isTrue();
        assertThat(launcher.exitValue()).as("killed by SIGTERM").isEqualTo(128 + 15);
        awaitGone(children, groups, Duration.ofSeconds(10));
        assertThat(trainingDir).as("the training's temp directory").doesNotExist();

        // A lock left behind would make this one wait CSI4J_LOCK_WAIT and start without the cache.
        Result next = run(Map.of("CSI4J_DIST", dist.toString(), "CSI4J_LOCK_WAIT", "10"), Duration.ofSeconds(300),
                "--version");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(next.stdout()).startsWith("csi4j " + Version.value() + "\n");
        assertThat(next.stderr()).isEmpty();
        assertThat(dist.resolve("serve.aot")).isNotEmptyFile();
    }

    @Test
    void aLockHeldByAnotherProcessDelaysTheStartByTheBoundThenItRunsWithoutTheCache() throws Exception {
        Path dist = copyOfTheDistribution();
        Path lock = dist.resolve(".aot.lock");
        // -o: the lock stays with flock itself, not with the sleep it runs
        Process holder = new ProcessBuilder("flock", "-o", lock.toString(), "sleep", "600")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(holder.toHandle());
        awaitLocked(lock);

        Result result = run(Map.of("CSI4J_DIST", dist.toString(), "CSI4J_LOCK_WAIT", "2"), Duration.ofSeconds(60),
                "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).startsWith("csi4j " + Version.value() + "\n");
        assertThat(result.stderr()).isEqualTo("csi4j: another process has held " + lock
                + " for 2 s; starting without the AOT cache\n");
        assertThat(dist.resolve("serve.aot")).doesNotExist();
        assertThat(holder.isAlive()).as("the holder still holds it").isTrue();
        holder.descendants().forEach(ProcessHandle::destroyForcibly);
        holder.destroyForcibly().waitFor();
    }

    /** The build's distribution, its jars copied (new mtimes: the copy's AOT caches must be trained). */
    private Path copyOfTheDistribution() throws IOException {
        Path lib = Files.createDirectories(state.resolve("dist/lib"));
        try (Stream<Path> jars = Files.list(HOME.resolve("csi4j-driver/target/csi4j/lib"))) {
            for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, lib.resolve(jar.getFileName()));
            }
        }
        return lib.getParent();
    }

    /** The launcher's processes once the training client runs (the training server has its socket then). */
    private static List<Proc> awaitTrainingClient(Process launcher) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            List<Proc> children = launcher.descendants().map(child -> Proc.of(child.pid()))
                    .flatMap(Optional::stream).toList();
            if (children.stream().anyMatch(child -> child.command().contains(" aot-train --target "))) {
                return children;
            }
            if (!launcher.isAlive()) {
                throw new AssertionError("the launcher exited with " + launcher.exitValue() + " before training");
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no training client within 120 s");
    }

    /** Waits until none of {@code seen} runs and no process is left in {@code groups}. */
    private static void awaitGone(List<Proc> seen, Set<Long> groups, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Proc> left = survivors(seen, groups);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = survivors(seen, groups);
        }
        assertThat(left).as("processes of the killed launcher still running after " + bound).isEmpty();
    }

    private static List<Proc> survivors(List<Proc> seen, Set<Long> groups) throws IOException {
        List<Proc> left = new ArrayList<>(seen.stream().filter(Proc::stillRuns).toList());
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            all.map(path -> path.getFileName().toString()).filter(name -> name.matches("\\d+"))
                    .map(name -> Proc.of(Long.parseLong(name))).flatMap(Optional::stream)
                    .filter(process -> groups.contains(process.group()) && process.running())
                    .forEach(left::add);
        }
        return left;
    }

    private static List<String> openFiles(long pid) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    files.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return files;
    }

    /** Until {@code flock -n} finds the lock taken. */
    private static void awaitLocked(Path lock) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Process probe = new ProcessBuilder("flock", "-n", lock.toString(), "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (probe.waitFor() == 1 && Files.exists(lock)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nobody took " + lock);
    }

    /** A process as /proc shows it: its group, its start time (so a reused PID is another), state, command line. */
    private record Proc(long pid, long group, long startTime, char state, String command) {

        static Optional<Proc> of(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // after "pid (comm) ": state ppid pgrp ... starttime is the 20th field
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                String command = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
                return Optional.of(new Proc(pid, Long.parseLong(fields[2]), Long.parseLong(fields[19]),
                        fields[0].charAt(0), command));
            } catch (IOException | RuntimeException gone) {
                return Optional.empty();
            }
        }

        /** Not exited: a zombie waits only for its (new) parent to reap it. */
        boolean running() {
            return state != 'Z' && state != 'X';
        }

        boolean stillRuns() {
            return of(pid).filter(now -> now.startTime == startTime && now.running()).isPresent();
        }

        /** The training server's temp directory, from its {@code --data-dir DIR/data}. */
        Optional<Path> trainingDir() {
            List<String> words = List.of(command.split(" "));
            int at = words.indexOf("--data-dir");
            return at < 0 || !command.contains("AOTCacheOutput") ? Optional.empty()
                    : Optional.of(Path.of(words.get(at + 1)).getParent());
        }
    }

    private ProcessBuilder launcher(List<String> args) {
        return launcher(args, Map.of());
    }

    private ProcessBuilder launcher(List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CSI4J_STATE_DIR", state.toString());
        builder.environment().remove("CSI_ENDPOINT");
        builder.environment().putAll(env);
        return builder;
    }

    /** {@code progress}: the launcher's own building and training lines, left out of {@code stderr}. */
    private record Result(int exitCode, String stdout, String stderr, String progress) {}

    private Result run(String... args) throws Exception {
        return run(Map.of(), Duration.ofSeconds(300), args);
    }

    private Result run(Map<String, String> env, Duration bound, String... args) throws Exception {
        Path out = Files.createTempFile(state, "out", ".txt");
        Path err = Files.createTempFile(state, "err", ".txt");
        Process process = launcher(List.of(args), env).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("bin/csi4j " + String.join(" ", args) + " did not finish within " + bound);
        }
        // The launcher reports building and AOT training on stderr; keep only csi4j's own lines.
        List<String> lines = Files.readString(err, StandardCharsets.UTF_8).lines().toList();
        java.util.function.Predicate<String> progress = line -> line.startsWith("csi4j: building")
                || line.startsWith("csi4j: preparing");
        String stderr = lines.stream().filter(progress.negate()).map(line -> line + "\n").reduce("", String::concat);
        String said = lines.stream().filter(progress).map(line -> line + "\n").reduce("", String::concat);
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr, said);
    }

    private String log() throws IOException {
        Path log = state.resolve("serve.log");
        return Files.exists(log) ? "\nserve log:\n" + Files.readString(log) : "";
    }
}
