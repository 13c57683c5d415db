package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class ClientCommandsTest {

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @Test
    void identityInfoPrintsNameVersionAndManifest() {
        assertPrints("""
                name:    local.csi4j.io
                version: %s
                  backend: local
                  mode: all
                """.formatted(Version.value()), "identity", "info");
    }

    @Test
    void identityProbePrintsReadyAndExitsZero() {
        DriverProcess.Result result = csi4j("identity", "probe");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("ready\n");
    }

    @Test
    void identityProbeAsJsonPrintsReadyTrue() {
        DriverProcess.Result result = csi4j("identity", "probe", "-o", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                {
                  "ready": true
                }
                """);
    }

    @Test
    void identityCapabilitiesPrintsTheControllerServiceAndTopology() {
        assertPrints("""
                CONTROLLER_SERVICE
                VOLUME_ACCESSIBILITY_CONSTRAINTS
                GROUP_CONTROLLER_SERVICE
                VOLUME_EXPANSION ONLINE
                """, "identity", "capabilities");
    }

    @Test
    void nodeInfoPrintsTheNodeIdAndItsTopology() {
        assertPrints("""
                node id:     test-node
                max volumes: unlimited
                topology:
                  topology.csi4j.io/node: test-node
                """, "node", "info");
    }

    @Test
    void controllerCapabilitiesPrintsTheVolumeRpcs() {
        assertPrints("""
                CREATE_DELETE_VOLUME
                LIST_VOLUMES
                GET_VOLUME
                GET_CAPACITY
                VOLUME_CONDITION
                CREATE_DELETE_SNAPSHOT
                LIST_SNAPSHOTS
                GET_SNAPSHOT
                CLONE_VOLUME
                EXPAND_VOLUME
                """, "controller", "capabilities");
    }

    @Test
    void nodeExpandOfAnUnknownVolumeIsNotFound() {
        String target = driver.kubeletDir().resolve("target").toString();
        DriverProcess.Result result = csi4j("node", "expand", "vol-x", "--path", target, "--size", "1Gi");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("NOT_FOUND: volume vol-x does not exist\n");
    }

    static Stream<Arguments> snapshotAndGroupCommands() {
        String unknownVolume = "l1." + "0".repeat(32) + ".test-node";
        String unknownSnapshot = "s1." + "0".repeat(32) + ".test-node";
        String unknownGroup = "g1." + "0".repeat(32) + ".test-node";
        return Stream.of(
                answers(1, "NOT_FOUND: volume " + unknownVolume + " does not exist",
                        "controller", "create-snapshot", "snap-a", "--source", unknownVolume, "--secret", "k=s3cr3t"),
                answers(0, "", "controller", "delete-snapshot", unknownSnapshot),
                answers(0, "", "controller", "list-snapshots", "--all"),
                answers(1, "NOT_FOUND: snapshot " + unknownSnapshot + " does not exist",
                        "controller", "get-snapshot", unknownSnapshot),
                answers(1, "NOT_FOUND: volume " + unknownVolume + " does not exist",
                        "controller", "expand", unknownVolume, "--size", "1Gi"),
                answers(1, "NOT_FOUND: volume vol-x does not exist on this node",
                        "group", "create-snapshot", "grp-a", "--source", "vol-x", "--source", "vol-y"),
                answers(0, "", "group", "delete-snapshot", unknownGroup, "--snapshot-id", unknownSnapshot),
                answers(1, "NOT_FOUND: group snapshot " + unknownGroup + " does not exist",
                        "group", "get-snapshot", unknownGroup, "--snapshot-id", unknownSnapshot),
                answers(0, "", "group", "capabilities"));
    }

    private static Arguments answers(int exitCode, String stderr, String... command) {
        return Arguments.of(String.join(" ", command), exitCode, stderr, command);
    }

    /**
     * The snapshot, expansion and group commands reach the driver, which answers each as the spec
     * says for unknown IDs. The client runs in this JVM, as {@code main} would run it: one JVM per
     * command would cost a second each.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshotAndGroupCommands")
    void snapshotAndGroupCommandsGetTheDriversAnswer(String name, int exitCode, String stderr, String[] command) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "unix://" + driver.socket()));
        args.addAll(List.of(command));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = Csi4j.commandLine(args.toArray(String[]::new));
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));

        int exit = line.execute(args.toArray(String[]::new));

        assertThat(err.toString()).isEqualTo(stderr.isEmpty() ? "" : stderr + "\n");
        assertThat(exit).isEqualTo(exitCode);
        assertThat(out.toString()).doesNotContain("s3cr3t");
    }

    /** Runs {@code command}, which must exit 0 printing exactly {@code stdout} and nothing on stderr. */
    private static void assertPrints(String stdout, String... command) {
        DriverProcess.Result result = csi4j(command);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(stdout);
        assertThat(result.stderr()).isEmpty();
    }

    private static DriverProcess.Result csi4j(String... command) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "unix://" + driver.socket()));
        args.addAll(List.of(command));
        return DriverProcess.run(args, Drivers.RUN);
    }
}
