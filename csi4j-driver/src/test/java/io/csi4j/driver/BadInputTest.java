package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.DriverProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BadInputTest {

    @TempDir
    Path dir;

    /** A case: what is wrong, the serve arguments for a directory, what the error must say there. */
    static Stream<Arguments> badServeFlags() {
        return Stream.of(
                bad("driver name starting with '-'", d -> Drivers.serveArgs(d, "--driver-name", "-bad"),
                        d -> "invalid driver name '-bad'"),
                bad("driver name of 64 characters", d -> Drivers.serveArgs(d, "--driver-name", "a".repeat(64)),
                        d -> "invalid driver name '" + "a".repeat(64) + "': longer than 63 characters"),
                bad("driver name with a slash", d -> Drivers.serveArgs(d, "--driver-name", "a/b"),
                        d -> "invalid driver name 'a/b'"),
                bad("empty driver name", d -> Drivers.serveArgs(d, "--driver-name", ""),
                        d -> "the driver name must not be empty"),
                bad("socket directory that does not exist",
                        d -> with(Drivers.serveArgs(d), "--endpoint", "unix://" + d.resolve("missing/csi.sock")),
                        d -> "the socket directory does not exist: " + d.resolve("missing")),
                bad("unknown endpoint scheme", d -> with(Drivers.serveArgs(d), "--endpoint", "http://x"),
                        d -> "unknown endpoint scheme 'http'"),
                bad("relative unix path", d -> with(Drivers.serveArgs(d), "--endpoint", "unix://run/csi.sock"),
                        d -> "unix endpoints need an absolute path"),
                bad("unknown flag", d -> Drivers.serveArgs(d, "--frobnicate"),
                        d -> "Unknown option: '--frobnicate'"),
                bad("socket mode that is not octal", d -> Drivers.serveArgs(d, "--socket-mode", "999"),
                        d -> "--socket-mode must be octal like 0660, not '999'"),
                bad("node ID with a space", d -> with(Drivers.serveArgs(d), "--node-id", "bad id"),
                        d -> "invalid node ID 'bad id'"),
                bad("data directory whose parent does not exist",
                        d -> with(Drivers.serveArgs(d), "--data-dir", d.resolve("missing/data").toString()),
                        d -> "the data directory's parent does not exist: " + d.resolve("missing")),
                bad("relative kubelet directory", d -> with(Drivers.serveArgs(d), "--kubelet-dir", "var/lib/kubelet"),
                        d -> "--kubelet-dir must be an absolute, normalised directory other than / (or none), "
                                + "not 'var/lib/kubelet'"),
                bad("kubelet directory with '..'", d -> with(Drivers.serveArgs(d), "--kubelet-dir", "/var/lib/../kubelet"),
                        d -> "not '/var/lib/../kubelet'"),
                bad("kubelet directory with '.'", d -> with(Drivers.serveArgs(d), "--kubelet-dir", "/var/lib/./kubelet"),
                        d -> "not '/var/lib/./kubelet'"),
                bad("kubelet directory /", d -> with(Drivers.serveArgs(d), "--kubelet-dir", "/"), d -> "not '/'"),
                bad("metrics address that is not an address", d -> Drivers.serveArgs(d, "--metrics-address", "nonsense"),
                        d -> "--metrics-address must be HOST:PORT or PORT, not 'nonsense': the port must be a number"),
                bad("metrics port out of range", d -> Drivers.serveArgs(d, "--metrics-address", "127.0.0.1:99999"),
                        d -> "not '127.0.0.1:99999': the port must be a number from 0 to 65535"),
                bad("metrics address with an IPv6 host without brackets",
                        d -> Drivers.serveArgs(d, "--metrics-address", "::1:9808"),
                        d -> "write an IPv6 address in brackets, like [::1]:9808"),
                bad("metrics address without a host", d -> Drivers.serveArgs(d, "--metrics-address", ":9808"),
                        d -> "the host is missing"),
                bad("bad kubelet directory in controller mode",
                        d -> with(Drivers.serveArgs(d, "--mode", "controller"), "--kubelet-dir", "relative"),
                        d -> "not 'relative'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badServeFlags")
    void badServeInputExitsTwoWithOneLineSayingWhatIsWrongAndCreatesNothing(
            String what, Function<Path, List<String>> args, Function<Path, String> message) throws IOException {
        DriverProcess.Result result = DriverProcess.run(args.apply(dir), Drivers.RUN);

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isEqualTo(2);
        assertThat(result.stderr().lines()).as("stderr lines").hasSize(1);
        assertThat(result.stderr()).startsWith("csi4j: ").contains(message.apply(dir));
        assertThat(result.stdout()).isEmpty();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("files left behind").isEmpty();
        }
    }

    @Test
    void aMetricsAddressInUseExitsTwoWithOneLineAndCreatesNothing() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            DriverProcess.Result result = DriverProcess.run(
                    Drivers.serveArgs(dir, "--metrics-address", "127.0.0.1:" + taken.getLocalPort()), Drivers.RUN);

            assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isEqualTo(2);
            assertThat(result.stderr().lines()).as("stderr lines").hasSize(1);
            assertThat(result.stderr()).startsWith("csi4j: --metrics-address 127.0.0.1:" + taken.getLocalPort()
                    + " cannot be bound: ");
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).as("files left behind").isEmpty();
            }
        }
    }

    @Test
    void versionPrintsTheVersionAndExitsZero() {
        DriverProcess.Result result = DriverProcess.run(List.of("--version"), Drivers.RUN);

        assertThat(result.exitCode()).isZero();
        assertThat(Version.value()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(result.stdout().lines().findFirst()).hasValue("csi4j " + Version.value());
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void serveHelpExitsZeroAndDescribesEndpoint() {
        DriverProcess.Result result = DriverProcess.run(List.of("serve", "--help"), Drivers.RUN);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith("Usage: csi4j serve").contains("--endpoint=URL");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void serveHelpSaysWhereNodePathsMayBeByDefaultAndHowToLiftTheBound() {
        DriverProcess.Result result = DriverProcess.run(List.of("serve", "--help"), Drivers.RUN);

        assertThat(result.stdout()).contains("--kubelet-dir=DIR|none");
        assertThat(result.stdout().replaceAll("\\s+", " "))
                .contains("(default: /var/lib/kubelet); none accepts any absolute path");
    }

    @Test
    void aClientCommandAgainstASocketNobodyServesFailsWithUnavailable() {
        DriverProcess.Result result = DriverProcess.run(
                List.of("--endpoint", "unix://" + dir.resolve("nobody.sock"), "identity", "info"), Drivers.RUN);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("UNAVAILABLE:");
        assertThat(result.stdout()).isEmpty();
    }

    private static Arguments bad(String what, Function<Path, List<String>> args, Function<Path, String> message) {
        return Arguments.of(what, args, message);
    }

    /** {@code args} with the value of {@code flag} replaced. */
    private static List<String> with(List<String> args, String flag, String value) {
        List<String> changed = new ArrayList<>(args);
        changed.set(changed.indexOf(flag) + 1, value);
        return changed;
    }
}
