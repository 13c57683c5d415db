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
        DriverProcess.Result result = csi4j("identity", "info");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                name:    local.csi4j.io
                version: %s
                  backend: local
                  mode: all
                """.formatted(Version.value()));
        assertThat(result.stderr()).isEmpty();
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
        DriverProcess.Result result = csi4j("identity", "capabilities");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                CONTROLLER_SERVICE
                VOLUME_ACCESSIBILITY_CONSTRAINTS
                """);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void nodeInfoPrintsTheNodeIdAndItsTopology() {
        DriverProcess.Result result = csi4j("node", "info");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                node id:     test-node
                max volumes: unlimited
                topology:
                  topology.csi4j.io/node: test-node
                """);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void controllerCapabilitiesPrintsTheVolumeRpcs() {
        DriverProcess.Result result = csi4j("controller", "capabilities");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                CREATE_DELETE_VOLUME
                LIST_VOLUMES
                GET_VOLUME
                GET_CAPACITY
                VOLUME_CONDITION
                """);
        assertThat(result.stderr()).isEmpty();
    }

    private static DriverProcess.Result csi4j(String... command) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "unix://" + driver.socket()));
        args.addAll(List.of(command));
        return DriverProcess.run(args, Drivers.RUN);
    }
}
