package io.csi4j.cli.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import csi.v1.CapacityRange;
import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.ControllerExpandVolumeResponse;
import csi.v1.ControllerGrpc;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateSnapshotResponse;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.DeleteSnapshotResponse;
import csi.v1.GetSnapshotRequest;
import csi.v1.GetSnapshotResponse;
import csi.v1.ListSnapshotsRequest;
import csi.v1.ListSnapshotsResponse;
import csi.v1.Snapshot;
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

/**
 * The controller's snapshot and expansion commands end to end: picocli, a real gRPC channel on a
 * unix socket, and a recording peer.
 */
class SnapshotCommandsTest {

    private static final String SECRET = "hunter2-s3cr3t";

    @RegisterExtension
    final RecordingPeer peer = new RecordingPeer(ControllerGrpc.getServiceDescriptor());

    private static Timestamp at(String iso) {
        Instant instant = Instant.parse(iso);
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static Snapshot snapshot(String id, String volume, long size, boolean ready) {
        return Snapshot.newBuilder().setSnapshotId(id).setSourceVolumeId(volume).setSizeBytes(size)
                .setCreationTime(at("2025-01-02T03:04:05Z")).setReadyToUse(ready).build();
    }

    // create-snapshot, get-snapshot, delete-snapshot

    @Test
    void createSnapshotSendsItsRequestAndPrintsTheSnapshot() {
        peer.respondWith(CreateSnapshotResponse.newBuilder().setSnapshot(snapshot("snap-1", "vol-1", 1L << 30, true)).build());

        Cli.Result result = peer.runOk(SECRET, "controller", "create-snapshot", "snap-a", "--source", "vol-1", "--param", "class=fast",
                "--secret", "password=" + SECRET);

        assertThat(result.stdout()).isEqualTo("""
                snapshot id:       snap-1
                source volume:     vol-1
                size:              1073741824 (1 GiB)
                created:           2025-01-02T03:04:05Z
                ready to use:      yes
                """);
        assertThat(peer.request(CreateSnapshotRequest.class)).isEqualTo(CreateSnapshotRequest.newBuilder()
                .setName("snap-a").setSourceVolumeId("vol-1").putParameters("class", "fast")
                .putSecrets("password", SECRET).build());
    }

    @Test
    void createSnapshotAsJsonPrintsTheResponse() {
        peer.respondWith(CreateSnapshotResponse.newBuilder().setSnapshot(Snapshot.newBuilder().setSnapshotId("snap-1")
                .setSourceVolumeId("vol-1").setSizeBytes(4096).setCreationTime(at("2025-01-02T03:04:05.250Z"))).build());

        Cli.Result result = peer.runOk(SECRET, "controller", "create-snapshot", "snap-a", "--source", "vol-1", "-o", "json");

        assertThat(result.stdout()).isEqualTo("""
                {
                  "snapshot": {
                    "sizeBytes": "4096",
                    "snapshotId": "snap-1",
                    "sourceVolumeId": "vol-1",
                    "creationTime": "2025-01-02T03:04:05.250Z"
                  }
                }
                """);
    }

    @Test
    void getSnapshotShowsAnUnknownSizeAndTimeAndItsGroup() {
        peer.respondWith(GetSnapshotResponse.newBuilder().setSnapshot(Snapshot.newBuilder().setSnapshotId("snap-2")
                .setSourceVolumeId("vol-2").setGroupSnapshotId("grp-1")).build());

        Cli.Result result = peer.runOk(SECRET, "controller", "get-snapshot", "snap-2", "--secret", "k=" + SECRET);

        assertThat(result.stdout()).isEqualTo("""
                snapshot id:       snap-2
                source volume:     vol-2
                size:              unknown
                created:           unknown
                ready to use:      no
                group snapshot id: grp-1
                """);
        assertThat(peer.request(GetSnapshotRequest.class)).isEqualTo(GetSnapshotRequest.newBuilder()
                .setSnapshotId("snap-2").putSecrets("k", SECRET).build());
    }

    @Test
    void deleteSnapshotSendsTheIdAndSecretsAndSaysDeleted() {
        peer.respondWith(DeleteSnapshotResponse.getDefaultInstance());

        Cli.Result result = peer.runOk(SECRET, "controller", "delete-snapshot", "snap-1", "--secret", "token=" + SECRET);

        assertThat(result.stdout()).isEqualTo("deleted snap-1\n");
        assertThat(peer.request(DeleteSnapshotRequest.class)).isEqualTo(DeleteSnapshotRequest.newBuilder()
                .setSnapshotId("snap-1").putSecrets("token", SECRET).build());
    }

    static Stream<Arguments> secretCarryingCommands() {
        return Stream.of(
                Arguments.of((Object) new String[] {"create-snapshot", "snap-a", "--source", "vol-1"}),
                Arguments.of((Object) new String[] {"delete-snapshot", "snap-1"}),
                Arguments.of((Object) new String[] {"get-snapshot", "snap-1"}),
                Arguments.of((Object) new String[] {"list-snapshots", "--all"}),
                Arguments.of((Object) new String[] {"expand", "vol-1", "--size", "1Gi"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secretCarryingCommands")
    void aDriverErrorIsCodeAndMessageWithTheSecretMasked(String[] controllerArgs) {
        peer.assertFails(Status.UNAUTHENTICATED.withDescription("password " + SECRET + " is wrong"),
                "UNAUTHENTICATED: password *** is wrong\n",
                Stream.of(Stream.of("controller"), Stream.of(controllerArgs), Stream.of("--secret", "password=" + SECRET))
                        .flatMap(s -> s).toArray(String[]::new));
    }

    // list-snapshots

    @Test
    void listSnapshotsPrintsATableAndTheNextToken() {
        peer.respondWith(ListSnapshotsResponse.newBuilder()
                .addEntries(entry(snapshot("snap-1", "vol-1", 1L << 30, true)))
                .addEntries(entry(snapshot("snap-22", "vol-2", 0, false).toBuilder().setGroupSnapshotId("grp-1").build()))
                .setNextToken("page-2")
                .build());

        Cli.Result result = peer.runOk(SECRET, "controller", "list-snapshots", "--source-volume", "vol-1", "--max-entries", "2",
                "--starting-token", "page-1");

        assertThat(result.stdout()).isEqualTo("""
                snapshot id  source volume  size                created               ready  group snapshot id
                snap-1       vol-1          1073741824 (1 GiB)  2025-01-02T03:04:05Z  yes
                snap-22      vol-2          unknown             2025-01-02T03:04:05Z  no     grp-1
                next token: page-2
                """);
        assertThat(peer.request(ListSnapshotsRequest.class)).isEqualTo(ListSnapshotsRequest.newBuilder()
                .setSourceVolumeId("vol-1").setMaxEntries(2).setStartingToken("page-1").build());
    }

    @Test
    void listSnapshotsSaysNoneWhenEmpty() {
        peer.respondWith(ListSnapshotsResponse.getDefaultInstance());

        assertThat(peer.runOk(SECRET, "controller", "list-snapshots", "--snapshot-id", "snap-9").stdout()).isEqualTo("(none)\n");
        assertThat(peer.request(ListSnapshotsRequest.class))
                .isEqualTo(ListSnapshotsRequest.newBuilder().setSnapshotId("snap-9").build());
    }

    @Test
    void listSnapshotsAllFollowsTheTokensToTheLastPage() {
        peer.respondInTurn(
                ListSnapshotsResponse.newBuilder().addEntries(entry(snapshot("snap-1", "vol-1", 1024, true)))
                        .setNextToken("t2").build(),
                ListSnapshotsResponse.newBuilder().addEntries(entry(snapshot("snap-2", "vol-1", 2048, true)))
                        .setNextToken("t3").build(),
                ListSnapshotsResponse.newBuilder().addEntries(entry(snapshot("snap-3", "vol-1", 4096, false))).build());

        Cli.Result result = peer.runOk(SECRET, "controller", "list-snapshots", "--all", "--max-entries", "1", "--source-volume", "vol-1",
                "--secret", "k=" + SECRET);

        assertThat(result.stdout()).isEqualTo("""
                snapshot id  source volume  size          created               ready
                snap-1       vol-1          1024 (1 KiB)  2025-01-02T03:04:05Z  yes
                snap-2       vol-1          2048 (2 KiB)  2025-01-02T03:04:05Z  yes
                snap-3       vol-1          4096 (4 KiB)  2025-01-02T03:04:05Z  no
                """);
        ListSnapshotsRequest first = ListSnapshotsRequest.newBuilder().setSourceVolumeId("vol-1").setMaxEntries(1)
                .putSecrets("k", SECRET).build();
        assertThat(peer.requests()).containsExactly(first,
                first.toBuilder().setStartingToken("t2").build(),
                first.toBuilder().setStartingToken("t3").build());
    }

    @Test
    void listSnapshotsAllAsJsonIsOneResponseWithEveryEntry() {
        peer.respondInTurn(
                ListSnapshotsResponse.newBuilder().addEntries(entry(Snapshot.newBuilder().setSnapshotId("snap-1").build()))
                        .setNextToken("t2").build(),
                ListSnapshotsResponse.newBuilder().addEntries(entry(Snapshot.newBuilder().setSnapshotId("snap-2").build())).build());

        Cli.Result result = peer.runOk(SECRET, "controller", "list-snapshots", "--all", "-o", "json");

        assertThat(result.stdout()).isEqualTo("""
                {
                  "entries": [{
                    "snapshot": {
                      "snapshotId": "snap-1"
                    }
                  }, {
                    "snapshot": {
                      "snapshotId": "snap-2"
                    }
                  }]
                }
                """);
    }

    @Test
    void listSnapshotsAllStopsWhenTheDriverRepeatsAToken() {
        peer.respondInTurn(
                ListSnapshotsResponse.newBuilder().addEntries(entry(snapshot("snap-1", "vol-1", 1024, true))).setNextToken("t2").build(),
                ListSnapshotsResponse.newBuilder().setNextToken("t2").build());

        Cli.Result result = peer.run("controller", "list-snapshots", "--all");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("the driver returned next token 't2' twice");
        assertThat(peer.requests()).hasSize(2);
    }

    private static ListSnapshotsResponse.Entry entry(Snapshot snapshot) {
        return ListSnapshotsResponse.Entry.newBuilder().setSnapshot(snapshot).build();
    }

    // expand

    @Test
    void expandPrintsTheNewCapacityAndThatTheNodeMustExpandToo() {
        peer.respondWith(ControllerExpandVolumeResponse.newBuilder().setCapacityBytes(2L << 30).setNodeExpansionRequired(true).build());

        Cli.Result result = peer.runOk(SECRET, "controller", "expand", "vol-1", "--size", "2Gi", "--secret", "k=" + SECRET);

        assertThat(result.stdout()).isEqualTo("""
                expanded vol-1: capacity 2147483648 (2 GiB)
                node expansion: required (node expand)
                """);
        assertThat(peer.request(ControllerExpandVolumeRequest.class)).isEqualTo(ControllerExpandVolumeRequest.newBuilder()
                .setVolumeId("vol-1").setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2L << 30))
                .putSecrets("k", SECRET).build());
    }

    @Test
    void expandWithACapabilitySendsItAndSaysWhenTheNodeNeedNotExpand() {
        peer.respondWith(ControllerExpandVolumeResponse.newBuilder().setCapacityBytes(3_000_000_000L).build());

        Cli.Result result = peer.runOk(SECRET, "controller", "expand", "vol-1", "--size", "3G", "--fs", "xfs", "--access-mode", "multi-node-multi-writer");

        assertThat(result.stdout()).isEqualTo("""
                expanded vol-1: capacity 3000000000 (2.8 GiB)
                node expansion: not required
                """);
        ControllerExpandVolumeRequest request = peer.request(ControllerExpandVolumeRequest.class);
        assertThat(request.getVolumeCapability().getMount().getFsType()).isEqualTo("xfs");
        assertThat(request.getVolumeCapability().getAccessMode().getMode().name()).isEqualTo("MULTI_NODE_MULTI_WRITER");
    }

    // usage errors: exit code 2 and a message, no call to the driver, never a secret shown

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usageError("create-snapshot without a source", "Missing required option: '--source=VOLUME_ID'",
                        "create-snapshot", "snap-a"),
                usageError("create-snapshot without a name", "Missing required parameter: 'NAME'",
                        "create-snapshot", "--source", "vol-1"),
                usageError("create-snapshot with a malformed secret, not shown", "expected KEY=VALUE",
                        "create-snapshot", "snap-a", "--source", "vol-1", "--secret", SECRET),
                usageError("create-snapshot with a secret key given twice, the values not shown", "--secret: key 'p' given twice",
                        "create-snapshot", "snap-a", "--source", "vol-1", "--secret", "p=" + SECRET, "--secret", "p=x"),
                usageError("delete-snapshot without an id", "Missing required parameter: 'SNAPSHOT_ID'",
                        "delete-snapshot"),
                usageError("get-snapshot without an id", "Missing required parameter: 'SNAPSHOT_ID'",
                        "get-snapshot", "--secret", "k=" + SECRET),
                usageError("list-snapshots with a negative max", "--max-entries cannot be negative",
                        "list-snapshots", "--max-entries", "-1"),
                usageError("list-snapshots with a max that is no number", "'--max-entries'",
                        "list-snapshots", "--max-entries", "many"),
                usageError("expand without a size", "Missing required option: '--size=SIZE'",
                        "expand", "vol-1"),
                usageError("expand with a bad size", "'10X' is not a size",
                        "expand", "vol-1", "--size", "10X"),
                usageError("expand with mount flags on a block volume", "--mount-flag applies to mount volumes, not to --block",
                        "expand", "vol-1", "--size", "1Gi", "--block", "--mount-flag", "ro"));
    }

    private static Arguments usageError(String name, String message, String... controllerArgs) {
        return Arguments.of(name, message, controllerArgs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void aUsageErrorExitsWithTwoAndAMessageAndCallsNothing(String name, String message, String[] controllerArgs) {
        peer.assertUsageError(message, SECRET, Stream.concat(Stream.of("controller"), Stream.of(controllerArgs)).toArray(String[]::new));
    }

    @Test
    void everyCommandIsRegistered() {
        peer.assertHelpLists("controller", "expand", "create-snapshot", "delete-snapshot", "list-snapshots", "get-snapshot");
    }
}
