package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.CsiDriverExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, for real: {@code bin/csi4j serve} on its defaults (state under
 * {@code $CSI4J_STATE_DIR}), the client commands against it, SIGTERM. Runs after packaging,
 * so the launcher finds the build and trains its AOT caches if they are missing.
 */
class LauncherIT {

    private static final Path HOME = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = HOME.resolve("bin/csi4j");

    private Path state;
    private Process server;

    @BeforeEach
    void stateDir() throws IOException {
        state = Files.createTempDirectory("csi4j-launcher-");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor();
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

    @Test
    void unknownFlagExitsTwoWithOneLine() throws Exception {
        Result result = run("serve", "--frobnicate");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().lines()).hasSize(1).first().asString().startsWith("csi4j: Unknown option: '--frobnicate'");
        assertThat(state.resolve("csi.sock")).doesNotExist();
    }

    private ProcessBuilder launcher(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CSI4J_STATE_DIR", state.toString());
        builder.environment().remove("CSI_ENDPOINT");
        return builder;
    }

    private record Result(int exitCode, String stdout, String stderr) {}

    private Result run(String... args) throws Exception {
        Path out = Files.createTempFile(state, "out", ".txt");
        Path err = Files.createTempFile(state, "err", ".txt");
        Process process = launcher(List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("bin/csi4j " + String.join(" ", args) + " did not finish");
        }
        // The launcher reports building and AOT training on stderr; keep only csi4j's own lines.
        String stderr = Files.readString(err, StandardCharsets.UTF_8).lines()
                .filter(line -> !line.startsWith("csi4j: building") && !line.startsWith("csi4j: preparing"))
                .map(line -> line + "\n").reduce("", String::concat);
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
    }

    private String log() throws IOException {
        Path log = state.resolve("serve.log");
        return Files.exists(log) ? "\nserve log:\n" + Files.readString(log) : "";
    }
}
