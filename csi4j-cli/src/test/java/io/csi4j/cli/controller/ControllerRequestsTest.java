package io.csi4j.cli.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.CapacityRange;
import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.GetSnapshotRequest;
import csi.v1.ListSnapshotsRequest;
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

    @Test
    void createSnapshotSendsNameSourceParametersAndSecrets() {
        CreateSnapshotRequest request = Cli.parse(CreateSnapshotCommand.class, "controller", "create-snapshot", "snap-a",
                "--source", "vol-1", "--param", "class=fast", "--param", "opts=a=b", "--secret", "user=admin").request();

        assertThat(request).isEqualTo(CreateSnapshotRequest.newBuilder()
                .setName("snap-a")
                .setSourceVolumeId("vol-1")
                .putParameters("class", "fast")
                .putParameters("opts", "a=b")
                .putSecrets("user", "admin")
                .build());
    }

    @Test
    void createSnapshotWithAParameterGivenTwiceIsAUsageError() {
        CreateSnapshotCommand command = Cli.parse(CreateSnapshotCommand.class, "controller", "create-snapshot", "snap-a",
                "--source", "vol-1", "--param", "a=1", "--param", "a=2");

        assertThatThrownBy(command::request).isInstanceOf(ParameterException.class)
                .hasMessage("--param: key 'a' given twice");
    }

    @Test
    void deleteAndGetSnapshotCarryTheIdAndSecrets() {
        assertThat(Cli.parse(DeleteSnapshotCommand.class, "controller", "delete-snapshot", "snap-1", "--secret", "a=1").request())
                .isEqualTo(DeleteSnapshotRequest.newBuilder().setSnapshotId("snap-1").putSecrets("a", "1").build());
        assertThat(Cli.parse(GetSnapshotCommand.class, "controller", "get-snapshot", "snap-1", "--secret", "b=").request())
                .isEqualTo(GetSnapshotRequest.newBuilder().setSnapshotId("snap-1").putSecrets("b", "").build());
    }

    @Test
    void listSnapshotsSendsEveryFilter() {
        ListSnapshotsRequest request = Cli.parse(ListSnapshotsCommand.class, "controller", "list-snapshots",
                "--snapshot-id", "snap-1", "--source-volume", "vol-1", "--max-entries", "10", "--starting-token", "t1",
                "--secret", "k=v").request();

        assertThat(request).isEqualTo(ListSnapshotsRequest.newBuilder()
                .setSnapshotId("snap-1").setSourceVolumeId("vol-1").setMaxEntries(10).setStartingToken("t1")
                .putSecrets("k", "v").build());
    }

    @Test
    void listSnapshotsWithoutOptionsAsksForEverything() {
        assertThat(Cli.parse(ListSnapshotsCommand.class, "controller", "list-snapshots").request())
                .isEqualTo(ListSnapshotsRequest.getDefaultInstance());
    }

    @Test
    void expandSendsTheSizeAndACapabilityOnlyWhenOneIsGiven() {
        ControllerExpandVolumeRequest plain = Cli.parse(ExpandVolumeCommand.class, "controller", "expand", "vol-1",
                "--size", "2Gi").request();
        ControllerExpandVolumeRequest block = Cli.parse(ExpandVolumeCommand.class, "controller", "expand", "vol-1",
                "--size", "2G", "--block", "--secret", "k=v").request();

        assertThat(plain).isEqualTo(ControllerExpandVolumeRequest.newBuilder().setVolumeId("vol-1")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2L << 30)).build());
        assertThat(block).isEqualTo(ControllerExpandVolumeRequest.newBuilder().setVolumeId("vol-1")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2_000_000_000L))
                .setVolumeCapability(VolumeCapability.newBuilder()
                        .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                        .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER)))
                .putSecrets("k", "v")
                .build());
    }
}
