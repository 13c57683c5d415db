package io.csi4j.cli.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import csi.v1.CreateVolumeGroupSnapshotRequest;
import csi.v1.CreateVolumeGroupSnapshotResponse;
import csi.v1.DeleteVolumeGroupSnapshotRequest;
import csi.v1.DeleteVolumeGroupSnapshotResponse;
import csi.v1.GetVolumeGroupSnapshotRequest;
import csi.v1.GetVolumeGroupSnapshotResponse;
import csi.v1.GroupControllerGetCapabilitiesResponse;
import csi.v1.GroupControllerGrpc;
import csi.v1.GroupControllerServiceCapability;
import csi.v1.Snapshot;
import csi.v1.VolumeGroupSnapshot;
import io.csi4j.cli.Cli;
import io.csi4j.cli.RecordingPeer;
import io.grpc.Status;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The group snapshot commands end to end: picocli, a real gRPC channel on a unix socket, and a recording peer. */
class GroupCommandsTest {

    private static final String SECRET = "hunter2-s3cr3t";

    @RegisterExtension
    final RecordingPeer peer = new RecordingPeer(GroupControllerGrpc.getServiceDescriptor());

    private static VolumeGroupSnapshot group() {
        Timestamp created = Timestamp.newBuilder().setSeconds(Instant.parse("2025-01-02T03:04:05Z").getEpochSecond()).build();
        return VolumeGroupSnapshot.newBuilder()
                .setGroupSnapshotId("grp-1")
                .setCreationTime(created)
                .setReadyToUse(true)
                .addSnapshots(Snapshot.newBuilder().setSnapshotId("snap-1").setSourceVolumeId("vol-1").setSizeBytes(1L << 30)
                        .setGroupSnapshotId("grp-1").setCreationTime(created).setReadyToUse(true))
                .addSnapshots(Snapshot.newBuilder().setSnapshotId("snap-22").setSourceVolumeId("vol-2")
                        .setGroupSnapshotId("grp-1").setCreationTime(created).setReadyToUse(true))
                .build();
    }

    private static final String GROUP_TEXT = """
            group snapshot id: grp-1
            created:           2025-01-02T03:04:05Z
            ready to use:      yes
            snapshots:
              snapshot id  source volume  size
              snap-1       vol-1          1073741824 (1 GiB)
              snap-22      vol-2          unknown
            """;

    @Test
    void createSendsTheSourcesAndPrintsTheGroupWithItsMembers() {
        peer.respondWith(CreateVolumeGroupSnapshotResponse.newBuilder().setGroupSnapshot(group()).build());

        Cli.Result result = peer.runOk(SECRET, "group", "create-snapshot", "grp-a", "--source", "vol-1", "--source", "vol-2",
                "--param", "class=fast", "--secret", "password=" + SECRET);

        assertThat(result.stdout()).isEqualTo(GROUP_TEXT);
        assertThat(peer.request(CreateVolumeGroupSnapshotRequest.class)).isEqualTo(CreateVolumeGroupSnapshotRequest.newBuilder()
                .setName("grp-a").addSourceVolumeIds("vol-1").addSourceVolumeIds("vol-2")
                .putParameters("class", "fast").putSecrets("password", SECRET).build());
    }

    @Test
    void aGroupWithoutMembersOrTimeSaysSo() {
        peer.respondWith(CreateVolumeGroupSnapshotResponse.newBuilder()
                .setGroupSnapshot(VolumeGroupSnapshot.newBuilder().setGroupSnapshotId("grp-2")).build());

        Cli.Result result = peer.runOk(SECRET, "group", "create-snapshot", "grp-b", "--source", "vol-1");

        assertThat(result.stdout()).isEqualTo("""
                group snapshot id: grp-2
                created:           unknown
                ready to use:      no
                snapshots:         (none)
                """);
    }

    @Test
    void getSendsTheMembersAndPrintsTheGroup() {
        peer.respondWith(GetVolumeGroupSnapshotResponse.newBuilder().setGroupSnapshot(group()).build());

        Cli.Result result = peer.runOk(SECRET, "group", "get-snapshot", "grp-1", "--snapshot-id", "snap-1", "--snapshot-id", "snap-22",
                "--secret", "k=" + SECRET);

        assertThat(result.stdout()).isEqualTo(GROUP_TEXT);
        assertThat(peer.request(GetVolumeGroupSnapshotRequest.class)).isEqualTo(GetVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId("grp-1").addSnapshotIds("snap-1").addSnapshotIds("snap-22").putSecrets("k", SECRET).build());
    }

    @Test
    void getAsJsonPrintsTheResponse() {
        peer.respondWith(GetVolumeGroupSnapshotResponse.newBuilder().setGroupSnapshot(VolumeGroupSnapshot.newBuilder()
                .setGroupSnapshotId("grp-1").setReadyToUse(true)
                .addSnapshots(Snapshot.newBuilder().setSnapshotId("snap-1").setSourceVolumeId("vol-1"))).build());

        Cli.Result result = peer.runOk(SECRET, "group", "get-snapshot", "grp-1", "--snapshot-id", "snap-1", "-o", "json");

        assertThat(result.stdout()).isEqualTo("""
                {
                  "groupSnapshot": {
                    "groupSnapshotId": "grp-1",
                    "snapshots": [{
                      "snapshotId": "snap-1",
                      "sourceVolumeId": "vol-1"
                    }],
                    "readyToUse": true
                  }
                }
                """);
    }

    @Test
    void deleteSendsTheMembersAndSaysHowManyWentWithTheGroup() {
        peer.respondWith(DeleteVolumeGroupSnapshotResponse.getDefaultInstance());

        Cli.Result result = peer.runOk(SECRET, "group", "delete-snapshot", "grp-1", "--snapshot-id", "snap-1", "--snapshot-id", "snap-22",
                "--secret", "token=" + SECRET);

        assertThat(result.stdout()).isEqualTo("deleted grp-1 (2 snapshots)\n");
        assertThat(peer.request(DeleteVolumeGroupSnapshotRequest.class)).isEqualTo(DeleteVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId("grp-1").addSnapshotIds("snap-1").addSnapshotIds("snap-22").putSecrets("token", SECRET).build());
    }

    @Test
    void aDriverErrorIsCodeAndMessageWithTheSecretMasked() {
        peer.assertFails(Status.FAILED_PRECONDITION.withDescription("snap-9 is not in grp-1 (secret " + SECRET + ")"),
                "FAILED_PRECONDITION: snap-9 is not in grp-1 (secret ***)\n",
                "group", "delete-snapshot", "grp-1", "--snapshot-id", "snap-9", "--secret", "k=" + SECRET);
    }

    @Test
    void capabilitiesListsTheGroupRpcs() {
        peer.respondWith(GroupControllerGetCapabilitiesResponse.newBuilder()
                .addCapabilities(GroupControllerServiceCapability.newBuilder().setRpc(GroupControllerServiceCapability.RPC.newBuilder()
                        .setType(GroupControllerServiceCapability.RPC.Type.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT)))
                .build());

        assertThat(peer.runOk(SECRET, "group", "capabilities").stdout()).isEqualTo("CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT\n");
    }

    @Test
    void capabilitiesSaysNoneWhenThereAreNone() {
        peer.respondWith(GroupControllerGetCapabilitiesResponse.getDefaultInstance());

        assertThat(peer.runOk(SECRET, "group", "capabilities").stdout()).isEqualTo("(none)\n");
    }

    // usage errors: exit code 2 and a message, no call to the driver, never a secret shown

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usageError("create without a source", "Missing required option: '--source=VOLUME_ID'",
                        "create-snapshot", "grp-a", "--secret", "k=" + SECRET),
                usageError("create without a name", "Missing required parameter: 'NAME'",
                        "create-snapshot", "--source", "vol-1"),
                usageError("create with a source given twice", "--source: volume 'vol-1' given twice",
                        "create-snapshot", "grp-a", "--source", "vol-1", "--source", "vol-1"),
                usageError("create with a malformed secret, not shown", "expected KEY=VALUE",
                        "create-snapshot", "grp-a", "--source", "vol-1", "--secret", SECRET),
                usageError("delete without member ids", "Missing required option: '--snapshot-id=ID'",
                        "delete-snapshot", "grp-1"),
                usageError("delete without a group id", "Missing required parameter: 'GROUP_ID'",
                        "delete-snapshot", "--snapshot-id", "snap-1"),
                usageError("get without member ids", "Missing required option: '--snapshot-id=ID'",
                        "get-snapshot", "grp-1"),
                usageError("get with a secret key given twice, the values not shown", "--secret: key 'p' given twice",
                        "get-snapshot", "grp-1", "--snapshot-id", "s", "--secret", "p=" + SECRET, "--secret", "p=x"));
    }

    private static Arguments usageError(String name, String message, String... groupArgs) {
        return Arguments.of(name, message, groupArgs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void aUsageErrorExitsWithTwoAndAMessageAndCallsNothing(String name, String message, String[] groupArgs) {
        peer.assertUsageError(message, SECRET, Stream.concat(Stream.of("group"), Stream.of(groupArgs)).toArray(String[]::new));
    }

    @Test
    void everyCommandIsRegistered() {
        peer.assertHelpLists("group", "create-snapshot", "delete-snapshot", "get-snapshot", "capabilities");
    }
}
