package io.csi4j.cli.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.CapacityRange;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.cli.Cli;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The requests the node commands build from their arguments, without calling anything. */
class NodeRequestsTest {

    private static VolumeCapability.Builder capability(Mode mode) {
        return VolumeCapability.newBuilder().setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode));
    }

    @Test
    void stageSendsEveryOption() {
        NodeStageVolumeRequest request = Cli.parse(StageCommand.class, "node", "stage", "vol-1", "--staging-path", "/st",
                "--fs", "xfs", "--mount-flag", "noatime", "--mount-flag", "nodev", "--access-mode", "single-node-multi-writer",
                "--mount-group", "1000", "--context", "type=image", "--publish-context", "device=/dev/loop3",
                "--secret", "key=s3cr3t").request();

        assertThat(request).isEqualTo(NodeStageVolumeRequest.newBuilder()
                .setVolumeId("vol-1")
                .setStagingTargetPath("/st")
                .setVolumeCapability(capability(Mode.SINGLE_NODE_MULTI_WRITER)
                        .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("xfs")
                                .addAllMountFlags(List.of("noatime", "nodev")).setVolumeMountGroup("1000")))
                .putVolumeContext("type", "image")
                .putPublishContext("device", "/dev/loop3")
                .putSecrets("key", "s3cr3t")
                .build());
    }

    @Test
    void stageDefaultsToASingleNodeWriterMountWithNothingElse() {
        NodeStageVolumeRequest request = Cli.parse(StageCommand.class, "node", "stage", "vol-1", "--staging-path", "/st").request();

        assertThat(request).isEqualTo(NodeStageVolumeRequest.newBuilder()
                .setVolumeId("vol-1")
                .setStagingTargetPath("/st")
                .setVolumeCapability(capability(Mode.SINGLE_NODE_WRITER).setMount(VolumeCapability.MountVolume.getDefaultInstance()))
                .build());
    }

    @Test
    void stageWithBlockSendsABlockCapability() {
        VolumeCapability capability = Cli.parse(StageCommand.class, "node", "stage", "vol-1", "--staging-path", "/st",
                "--block", "--access-mode", "multi-node-multi-writer").request().getVolumeCapability();

        assertThat(capability).isEqualTo(capability(Mode.MULTI_NODE_MULTI_WRITER)
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance()).build());
    }

    @Test
    void aMountGroupOnABlockVolumeIsAUsageError() {
        StageCommand command = Cli.parse(StageCommand.class, "node", "stage", "vol-1", "--staging-path", "/st",
                "--block", "--mount-group", "1000");

        assertThatThrownBy(command::request).isInstanceOf(ParameterException.class)
                .hasMessage("--mount-group applies to mount volumes, not to --block");
    }

    @Test
    void aContextKeyGivenTwiceIsAUsageError() {
        PublishCommand command = Cli.parse(PublishCommand.class, "node", "publish", "vol-1", "--target-path", "/t",
                "--publish-context", "a=1", "--publish-context", "a=2");

        assertThatThrownBy(command::request).isInstanceOf(ParameterException.class)
                .hasMessage("--publish-context: key 'a' given twice");
    }

    @Test
    void publishSendsReadonlyTheStagingPathAndSecrets() {
        NodePublishVolumeRequest request = Cli.parse(PublishCommand.class, "node", "publish", "vol-1", "--target-path", "/t",
                "--staging-path", "/st", "--readonly", "--block", "--access-mode", "single-node-reader-only",
                "--context", "a=1", "--secret", "user=admin", "--secret", "password=").request();

        assertThat(request).isEqualTo(NodePublishVolumeRequest.newBuilder()
                .setVolumeId("vol-1")
                .setTargetPath("/t")
                .setStagingTargetPath("/st")
                .setReadonly(true)
                .setVolumeCapability(capability(Mode.SINGLE_NODE_READER_ONLY).setBlock(VolumeCapability.BlockVolume.getDefaultInstance()))
                .putVolumeContext("a", "1")
                .putAllSecrets(Map.of("user", "admin", "password", ""))
                .build());
    }

    @Test
    void publishWithoutStagingIsWritableAndLeavesTheStagingPathEmpty() {
        NodePublishVolumeRequest request = Cli.parse(PublishCommand.class, "node", "publish", "vol-1", "--target-path", "/t",
                "--fs", "ext4", "--mount-group", "2000").request();

        assertThat(request.getReadonly()).isFalse();
        assertThat(request.getStagingTargetPath()).isEmpty();
        assertThat(request.getVolumeCapability().getMount().getFsType()).isEqualTo("ext4");
        assertThat(request.getVolumeCapability().getMount().getVolumeMountGroup()).isEqualTo("2000");
    }

    @Test
    void unstageAndUnpublishCarryTheirPaths() {
        assertThat(Cli.parse(UnstageCommand.class, "node", "unstage", "vol-1", "--staging-path", "/st").request())
                .isEqualTo(NodeUnstageVolumeRequest.newBuilder().setVolumeId("vol-1").setStagingTargetPath("/st").build());
        assertThat(Cli.parse(UnpublishCommand.class, "node", "unpublish", "vol-1", "--target-path", "/t").request())
                .isEqualTo(NodeUnpublishVolumeRequest.newBuilder().setVolumeId("vol-1").setTargetPath("/t").build());
    }

    @Test
    void statsSendsTheStagingPathOnlyWhenGiven() {
        assertThat(Cli.parse(StatsCommand.class, "node", "stats", "vol-1", "--path", "/t").request())
                .isEqualTo(NodeGetVolumeStatsRequest.newBuilder().setVolumeId("vol-1").setVolumePath("/t").build());
        assertThat(Cli.parse(StatsCommand.class, "node", "stats", "vol-1", "--path", "/t", "--staging-path", "/st").request()
                .getStagingTargetPath()).isEqualTo("/st");
    }

    @Test
    void expandSendsTheSizeAndACapabilityOnlyWhenOneIsGiven() {
        NodeExpandVolumeRequest plain = Cli.parse(ExpandCommand.class, "node", "expand", "vol-1", "--path", "/t",
                "--size", "2Gi").request();
        NodeExpandVolumeRequest full = Cli.parse(ExpandCommand.class, "node", "expand", "vol-1", "--path", "/t",
                "--size", "1G", "--staging-path", "/st", "--block", "--secret", "k=v").request();

        assertThat(plain).isEqualTo(NodeExpandVolumeRequest.newBuilder().setVolumeId("vol-1").setVolumePath("/t")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2L << 30)).build());
        assertThat(full).isEqualTo(NodeExpandVolumeRequest.newBuilder().setVolumeId("vol-1").setVolumePath("/t")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1_000_000_000L))
                .setStagingTargetPath("/st")
                .setVolumeCapability(capability(Mode.SINGLE_NODE_WRITER).setBlock(VolumeCapability.BlockVolume.getDefaultInstance()))
                .putSecrets("k", "v")
                .build());
    }
}
