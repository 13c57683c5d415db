package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
                """, "controller", "capabilities");
    }

    /**
     * The node volume commands reach the driver and print its answer. The driver does not serve
     * these RPCs yet, so its answer is UNIMPLEMENTED; the lifecycle tests come with the node side.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeVolumeCommands")
    void nodeVolumeCommandsPrintTheDriversErrorWithExitCodeOne(String rpc, List<String> command) {
        DriverProcess.Result result = csi4j(command.toArray(String[]::new));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("UNIMPLEMENTED: Method csi.v1.Node/" + rpc + " is unimplemented\n");
    }

    static Stream<Arguments> nodeVolumeCommands() {
        String staging = driver.socket().resolveSibling("staging").toString();
        String target = driver.socket().resolveSibling("target").toString();
        return Stream.of(
                Arguments.of("NodeStageVolume", List.of("node", "stage", "vol-x", "--staging-path", staging, "--fs", "ext4",
                        "--secret", "password=hunter2")),
                Arguments.of("NodeUnstageVolume", List.of("node", "unstage", "vol-x", "--staging-path", staging)),
                Arguments.of("NodePublishVolume", List.of("node", "publish", "vol-x", "--target-path", target,
                        "--staging-path", staging, "--readonly")),
                Arguments.of("NodeUnpublishVolume", List.of("node", "unpublish", "vol-x", "--target-path", target)),
                Arguments.of("NodeGetVolumeStats", List.of("node", "stats", "vol-x", "--path", target)),
                Arguments.of("NodeExpandVolume", List.of("node", "expand", "vol-x", "--path", target, "--size", "1Gi")));
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
