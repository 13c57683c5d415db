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
    void identityCapabilitiesPrintsNone() {
        DriverProcess.Result result = csi4j("identity", "capabilities");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("(none)\n");
    }

    @Test
    void nodeInfoPrintsTheNodeId() {
        DriverProcess.Result result = csi4j("node", "info");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().lines().findFirst()).hasValue("node id:     test-node");
    }

    @Test
    void controllerCapabilitiesPrintsNone() {
        DriverProcess.Result result = csi4j("controller", "capabilities");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("(none)\n");
    }

    private static DriverProcess.Result csi4j(String... command) {
        List<String> args = new ArrayList<>(List.of("--endpoint", "unix://" + driver.socket()));
        args.addAll(List.of(command));
        return DriverProcess.run(args, Drivers.RUN);
    }
}
