package io.csi4j.cli.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.CreateVolumeRequest;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.cli.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The requests the commands build from their arguments, without calling anything. */
class ControllerRequestsTest {

    @Test
    void createVolumeWithAZeroLimitMeansNoLimit() {
        CreateVolumeRequest request = Cli.parse(CreateVolumeCommand.class, "controller", "create-volume", "v", "--size", "1Gi", "--limit", "0").request();

        assertThat(request.getCapacityRange().getRequiredBytes()).isEqualTo(1L << 30);
        assertThat(request.getCapacityRange().getLimitBytes()).isZero();
    }

    @Test
    void createVolumeKeepsEveryAccessMode() {
        for (io.csi4j.cli.AccessMode mode : io.csi4j.cli.AccessMode.values()) {
            VolumeCapability capability = Cli.parse(CreateVolumeCommand.class, "controller", "create-volume", "v", "--access-mode", mode.cliName())
                    .request().getVolumeCapabilities(0);
            assertThat(capability.getAccessMode().getMode()).isEqualTo(mode.mode());
        }
    }

    @Test
    void createVolumeUsageErrorsAreParameterExceptions() {
        CreateVolumeCommand command = Cli.parse(CreateVolumeCommand.class, "controller", "create-volume", "v", "--size", "2", "--limit", "1");

        assertThatThrownBy(command::request).isInstanceOf(ParameterException.class)
                .hasMessage("--limit (1) is smaller than --size (2)");
    }

    @Test
    void deleteVolumeCarriesItsSecrets() {
        assertThat(Cli.parse(DeleteVolumeCommand.class, "controller", "delete-volume", "vol-1", "--secret", "a=1", "--secret", "b=").request()
                .getSecretsMap()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", ""));
    }

    @Test
    void getVolumeCarriesTheId() {
        assertThat(Cli.parse(GetVolumeCommand.class, "controller", "get-volume", "vol-7").request().getVolumeId()).isEqualTo("vol-7");
    }

    @Test
    void listVolumesLeavesTheTokenEmptyByDefault() {
        assertThat(Cli.parse(ListVolumesCommand.class, "controller", "list-volumes", "--max", "5").request().getStartingToken()).isEmpty();
    }

    @Test
    void validateCarriesMutableParameters() {
        var request = Cli.parse(ValidateCommand.class, "controller", "validate", "vol-1", "--mutable-param", "iops=100",
                "--access-mode", "SINGLE_NODE_SINGLE_WRITER").request();

        assertThat(request.getMutableParamsMap()).containsExactly(Map.entry("iops", "100"));
        assertThat(request.getVolumeCapabilities(0).getAccessMode().getMode()).isEqualTo(Mode.SINGLE_NODE_SINGLE_WRITER);
    }

    @Test
    void capacitySendsACapabilityWhenOnlyAnAccessModeIsGiven() {
        var request = Cli.parse(CapacityCommand.class, "controller", "capacity", "--access-mode", "multi-node-single-writer").request();

        assertThat(request.getVolumeCapabilitiesList()).hasSize(1);
        assertThat(request.getVolumeCapabilities(0).hasMount()).isTrue();
        assertThat(request.getVolumeCapabilities(0).getAccessMode().getMode()).isEqualTo(Mode.MULTI_NODE_SINGLE_WRITER);
    }
}
