package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
        String target = driver.socket().resolveSibling("target").toString();
        DriverProcess.Result result = csi4j("node", "expand", "vol-x", "--path", target, "--size", "1Gi");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("NOT_FOUND: volume vol-x does not exist\n");
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
