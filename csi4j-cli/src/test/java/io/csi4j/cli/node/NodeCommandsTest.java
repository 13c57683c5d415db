package io.csi4j.cli.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeExpandVolumeResponse;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGetVolumeStatsResponse;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodePublishVolumeResponse;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeStageVolumeResponse;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnpublishVolumeResponse;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.NodeUnstageVolumeResponse;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCondition;
import csi.v1.VolumeUsage;
import io.csi4j.cli.Cli;
import io.csi4j.cli.RecordingPeer;
import io.grpc.Status;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The node volume commands end to end: picocli, a real gRPC channel on a unix socket, and a recording peer. */
class NodeCommandsTest {

    private static final String SECRET = "hunter2-s3cr3t";

    @RegisterExtension
    final RecordingPeer peer = new RecordingPeer(NodeGrpc.getServiceDescriptor());

    // stage, unstage, publish, unpublish: one line saying what happened

    static Stream<Arguments> oneLineCommands() {
        return Stream.of(
                Arguments.of("stage", NodeStageVolumeResponse.getDefaultInstance(),
                        NodeStageVolumeRequest.newBuilder().setVolumeId("vol-1").setStagingTargetPath("/var/st/vol-1")
                                .setVolumeCapability(VolumeCapability.newBuilder()
                                        .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
                                        .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                                                .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
                                .putPublishContext("device", "/dev/loop3")
                                .putSecrets("password", SECRET).build(),
                        "staged vol-1 at /var/st/vol-1\n",
                        new String[] {"stage", "vol-1", "--staging-path", "/var/st/vol-1", "--fs", "ext4",
                                "--publish-context", "device=/dev/loop3", "--secret", "password=" + SECRET}),
                Arguments.of("unstage", NodeUnstageVolumeResponse.getDefaultInstance(),
                        NodeUnstageVolumeRequest.newBuilder().setVolumeId("vol-1").setStagingTargetPath("/var/st/vol-1").build(),
                        "unstaged vol-1 from /var/st/vol-1\n",
                        new String[] {"unstage", "vol-1", "--staging-path", "/var/st/vol-1"}),
                Arguments.of("publish", NodePublishVolumeResponse.getDefaultInstance(),
                        NodePublishVolumeRequest.newBuilder().setVolumeId("vol-1").setTargetPath("/pods/p/vol")
                                .setStagingTargetPath("/var/st/vol-1").setReadonly(true)
                                .setVolumeCapability(VolumeCapability.newBuilder()
                                        .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                                        .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                                                .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
                                .build(),
                        "published vol-1 at /pods/p/vol (read-only)\n",
                        new String[] {"publish", "vol-1", "--target-path", "/pods/p/vol", "--staging-path", "/var/st/vol-1",
                                "--readonly", "--block"}),
                Arguments.of("unpublish", NodeUnpublishVolumeResponse.getDefaultInstance(),
                        NodeUnpublishVolumeRequest.newBuilder().setVolumeId("vol-1").setTargetPath("/pods/p/vol").build(),
                        "unpublished vol-1 from /pods/p/vol\n",
                        new String[] {"unpublish", "vol-1", "--target-path", "/pods/p/vol"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneLineCommands")
    void aVolumeCommandSendsItsRequestAndSaysWhatHappened(String name, Message response, Message request, String stdout,
            String[] nodeArgs) {
        peer.respondWith(response);

        Cli.Result result = peer.run(Stream.concat(Stream.of("node"), Stream.of(nodeArgs)).toArray(String[]::new));

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo(stdout);
        assertThat(peer.request()).isEqualTo(request);
        assertThat(result.stdout() + result.stderr()).doesNotContain(SECRET);
    }

    @Test
    void anEmptyResponseAsJsonIsAnEmptyObject() {
        peer.respondWith(NodePublishVolumeResponse.getDefaultInstance());

        Cli.Result result = peer.run("node", "publish", "vol-1", "--target-path", "/t", "-o", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("{\n}\n");
    }

    @Test
    void aDriverErrorIsCodeAndMessageWithTheSecretMasked() {
        peer.failWith(Status.UNAUTHENTICATED.withDescription("password " + SECRET + " is wrong"));

        Cli.Result result = peer.run("node", "publish", "vol-1", "--target-path", "/t", "--secret", "password=" + SECRET);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo("UNAUTHENTICATED: password *** is wrong\n");
    }

    // stats

    @Test
    void statsPrintsBytesAndInodesAsATableAndTheCondition() {
        peer.respondWith(NodeGetVolumeStatsResponse.newBuilder()
                .addUsage(VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.BYTES)
                        .setUsed(1L << 30).setAvailable(3L << 30).setTotal(4L << 30))
                .addUsage(VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.INODES)
                        .setUsed(12).setAvailable(262132).setTotal(262144))
                .setVolumeCondition(VolumeCondition.newBuilder().setAbnormal(true).setMessage("read errors"))
                .build());

        Cli.Result result = peer.run("node", "stats", "vol-1", "--path", "/pods/p/vol", "--staging-path", "/var/st/vol-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                        used                available           total
                bytes   1073741824 (1 GiB)  3221225472 (3 GiB)  4294967296 (4 GiB)
                inodes  12                  262132              262144
                condition: abnormal: read errors
                """);
        assertThat(peer.request(NodeGetVolumeStatsRequest.class)).isEqualTo(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId("vol-1").setVolumePath("/pods/p/vol").setStagingTargetPath("/var/st/vol-1").build());
    }

    @Test
    void statsWithoutUsageOrConditionSaysSo() {
        peer.respondWith(NodeGetVolumeStatsResponse.getDefaultInstance());

        Cli.Result result = peer.run("node", "stats", "vol-1", "--path", "/t");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("(no usage reported)\n");
    }

    @Test
    void statsAsJsonPrintsTheResponse() {
        peer.respondWith(NodeGetVolumeStatsResponse.newBuilder()
                .addUsage(VolumeUsage.newBuilder().setUnit(VolumeUsage.Unit.BYTES).setUsed(4096).setTotal(8192))
                .setVolumeCondition(VolumeCondition.newBuilder().setMessage("fine"))
                .build());

        Cli.Result result = peer.run("node", "stats", "vol-1", "--path", "/t", "-o", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                {
                  "usage": [{
                    "total": "8192",
                    "used": "4096",
                    "unit": "BYTES"
                  }],
                  "volumeCondition": {
                    "message": "fine"
                  }
                }
                """);
    }

    // expand

    @Test
    void expandPrintsTheNewCapacity() {
        peer.respondWith(NodeExpandVolumeResponse.newBuilder().setCapacityBytes(2L << 30).build());

        Cli.Result result = peer.run("node", "expand", "vol-1", "--path", "/t", "--size", "2Gi", "--secret", "k=" + SECRET);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("expanded vol-1: capacity 2147483648 (2 GiB)\n");
        assertThat(result.stdout() + result.stderr()).doesNotContain(SECRET);
        assertThat(peer.request(NodeExpandVolumeRequest.class).getSecretsMap()).containsEntry("k", SECRET);
    }

    @Test
    void expandWithoutAReportedCapacitySaysUnknown() {
        peer.respondWith(NodeExpandVolumeResponse.getDefaultInstance());

        Cli.Result result = peer.run("node", "expand", "vol-1", "--path", "/t", "--size", "1Gi");

        assertThat(result.stdout()).isEqualTo("expanded vol-1: capacity unknown\n");
    }

    // usage errors: exit code 2 and a message, no call to the driver, never a secret shown

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usageError("stage without a staging path", "Missing required option: '--staging-path=PATH'",
                        "stage", "vol-1"),
                usageError("stage without a volume", "Missing required parameter: 'VOLUME_ID'",
                        "stage", "--staging-path", "/st"),
                usageError("stage with fs and block", "mutually exclusive",
                        "stage", "vol-1", "--staging-path", "/st", "--fs", "ext4", "--block"),
                usageError("stage with mount flags on a block volume", "--mount-flag applies to mount volumes, not to --block",
                        "stage", "vol-1", "--staging-path", "/st", "--block", "--mount-flag", "ro"),
                usageError("stage with a malformed secret, not shown", "expected KEY=VALUE",
                        "stage", "vol-1", "--staging-path", "/st", "--secret", SECRET),
                usageError("unstage without a staging path", "Missing required option: '--staging-path=PATH'",
                        "unstage", "vol-1"),
                usageError("publish without a target path", "Missing required option: '--target-path=PATH'",
                        "publish", "vol-1", "--staging-path", "/st"),
                usageError("publish with a secret key given twice, the values not shown", "--secret: key 'p' given twice",
                        "publish", "vol-1", "--target-path", "/t", "--secret", "p=" + SECRET, "--secret", "p=x"),
                usageError("unpublish without a target path", "Missing required option: '--target-path=PATH'",
                        "unpublish", "vol-1"),
                usageError("stats without a path", "Missing required option: '--path=PATH'",
                        "stats", "vol-1"),
                usageError("expand without a size", "Missing required option: '--size=SIZE'",
                        "expand", "vol-1", "--path", "/t"),
                usageError("expand with a bad size", "'10X' is not a size",
                        "expand", "vol-1", "--path", "/t", "--size", "10X"),
                usageError("expand with fs and block", "mutually exclusive",
                        "expand", "vol-1", "--path", "/t", "--size", "1Gi", "--fs", "xfs", "--block"));
    }

    private static Arguments usageError(String name, String message, String... nodeArgs) {
        return Arguments.of(name, message, nodeArgs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void aUsageErrorExitsWithTwoAndAMessageAndCallsNothing(String name, String message, String[] nodeArgs) {
        peer.assertUsageError(message, SECRET, Stream.concat(Stream.of("node"), Stream.of(nodeArgs)).toArray(String[]::new));
    }

    @Test
    void everyCommandIsRegistered() {
        peer.assertHelpLists("node", "info", "capabilities", "stage", "unstage", "publish", "unpublish",
                "stats", "expand");
    }
}
