package io.csi4j.kernel.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On the host (no tag): the harness never skips kernel tests silently. Without qemu it fails with
 * one line; skipping needs an explicit request and says so; without its inputs it refuses to pass.
 */
class KernelHarnessTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> SKIP_SWITCHES = List.of("CSI4J_SKIP_KERNEL_TESTS", "CSI4J_MVN_KERNEL_SKIP",
            "CSI4J_MVN_SKIP_TESTS", "CSI4J_MVN_TEST_SKIP");

    private record Result(int exitCode, String stderr) {}

    @Test
    void withoutQemuTheRunFailsWithOneLineAndNoBoot(@TempDir Path cache) throws Exception {
        Result result = run(Map.of("CSI4J_TEST_KERNEL_QEMU", "/nonexistent/qemu-system-x86_64",
                "CSI4J_TEST_KERNEL_CACHE", cache.toString()), "test-kernel/run", "--", "true");

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.stderr().strip().lines()).singleElement().asString()
                .contains("/nonexistent/qemu-system-x86_64 not found").contains("CSI4J_SKIP_KERNEL_TESTS=1");
    }

    @Test
    void skippingMustBeAskedForAndSaysSo() throws Exception {
        Result result = run(Map.of("CSI4J_SKIP_KERNEL_TESTS", "1"), "test-kernel/junit", PROJECT.resolve("csi4j-kernel-smoke").toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.stderr()).contains("SKIPPED the kernel-tagged tests of csi4j-kernel-smoke")
                .contains("CSI4J_SKIP_KERNEL_TESTS=1");
    }

    @Test
    void anUndefinedMavenSkipPropertyDoesNotSkip(@TempDir Path module) throws Exception {
        // an undefined property reaches the script as the literal "${kernel.skip}"
        Result result = run(Map.of("CSI4J_MVN_KERNEL_SKIP", "${kernel.skip}", "CSI4J_MVN_SKIP_TESTS", "${skipTests}"),
                "test-kernel/junit", module.toString());

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.stderr()).contains("classpath.txt or the launcher jar is missing").doesNotContain("SKIPPED");
    }

    private static Result run(Map<String, String> env, String script, String... args)
            throws IOException, InterruptedException {
        Path stderr = Files.createTempFile("csi4j-harness-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder();
            builder.command().add("bash");
            builder.command().add(PROJECT.resolve(script).toString());
            builder.command().addAll(List.of(args));
            SKIP_SWITCHES.forEach(builder.environment()::remove);
            builder.environment().putAll(env);
            Process process = builder.directory(PROJECT.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile())
                    .start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(script + " finished").isTrue();
            return new Result(process.exitValue(), Files.readString(stderr));
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
