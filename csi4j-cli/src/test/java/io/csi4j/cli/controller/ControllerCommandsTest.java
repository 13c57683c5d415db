package io.csi4j.cli.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Int64Value;
import csi.v1.CapacityRange;
import csi.v1.ControllerGetCapabilitiesResponse;
import csi.v1.ControllerGetVolumeRequest;
import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ControllerGrpc;
import csi.v1.ControllerServiceCapability;
import csi.v1.CreateVolumeRequest;
import csi.v1.CreateVolumeResponse;
import csi.v1.DeleteVolumeRequest;
import csi.v1.DeleteVolumeResponse;
import csi.v1.GetCapacityRequest;
import csi.v1.GetCapacityResponse;
import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import csi.v1.Topology;
import csi.v1.TopologyRequirement;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.ValidateVolumeCapabilitiesResponse;
import csi.v1.Volume;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import csi.v1.VolumeCondition;
import csi.v1.VolumeContentSource;
import io.csi4j.cli.Cli;
import io.csi4j.cli.RecordingPeer;
import io.grpc.Status;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The controller commands end to end: picocli, a real gRPC channel on a unix socket, and a recording peer. */
class ControllerCommandsTest {

    private static final String SECRET = "hunter2-s3cr3t";

    @RegisterExtension
    final RecordingPeer peer = new RecordingPeer(ControllerGrpc.getServiceDescriptor());

    private static VolumeCapability mount(String fsType, Mode mode, String... flags) {
        return VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType(fsType).addAllMountFlags(java.util.List.of(flags)))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    private static VolumeCapability block(Mode mode) {
        return VolumeCapability.newBuilder()
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    private static Topology topology(Map<String, String> segments) {
        return Topology.newBuilder().putAllSegments(segments).build();
    }

    private static Volume volume() {
        return Volume.newBuilder()
                .setVolumeId("vol-1")
                .setCapacityBytes(1L << 30)
                .putVolumeContext("b", "2")
                .putVolumeContext("a", "1")
                .addAccessibleTopology(topology(Map.of("zone", "a", "rack", "r1")))
                .addAccessibleTopology(topology(Map.of("zone", "b")))
                .build();
    }

    // create-volume

    @Test
    void createVolumeSendsEveryOptionAndPrintsTheVolume() {
        peer.respondWith(CreateVolumeResponse.newBuilder().setVolume(volume().toBuilder()
                .setContentSource(VolumeContentSource.newBuilder()
                        .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId("snap-1")))).build());

        Cli.Result result = peer.run("controller", "create-volume", "pvc-1", "--size", "1Gi", "--limit", "2G",
                "--param", "type=fast", "--param", "opts=a=b,c", "--secret", "user=admin", "--secret", "password=" + SECRET,
                "--mutable-param", "iops=3000", "--fs", "ext4", "--mount-flag", "noatime", "--mount-flag", "nodev",
                "--access-mode", "multi-node-reader-only", "--requisite", "zone=a,rack=r1", "--requisite", "zone=b",
                "--preferred", "zone=b", "--from-snapshot", "snap-1");

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                volume id: vol-1
                capacity:  1073741824 (1 GiB)
                source:    snapshot snap-1
                context:
                  a: 1
                  b: 2
                topology:
                  rack=r1,zone=a
                  zone=b
                """);
        assertThat(peer.request(CreateVolumeRequest.class)).isEqualTo(CreateVolumeRequest.newBuilder()
                .setName("pvc-1")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1073741824L).setLimitBytes(2000000000L))
                .addVolumeCapabilities(mount("ext4", Mode.MULTI_NODE_READER_ONLY, "noatime", "nodev"))
                .putParameters("type", "fast")
                .putParameters("opts", "a=b,c")
                .putSecrets("user", "admin")
                .putSecrets("password", SECRET)
                .putMutableParams("iops", "3000")
                .setAccessibilityRequirements(TopologyRequirement.newBuilder()
                        .addRequisite(topology(Map.of("zone", "a", "rack", "r1")))
                        .addRequisite(topology(Map.of("zone", "b")))
                        .addPreferred(topology(Map.of("zone", "b"))))
                .setVolumeContentSource(VolumeContentSource.newBuilder()
                        .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId("snap-1")))
                .build());
        assertThat(result.stdout() + result.stderr()).doesNotContain(SECRET);
    }

    @Test
    void createVolumeDefaultsToASingleNodeWriterMountWithNoFsTypeAndNothingElse() {
        peer.respondWith(CreateVolumeResponse.newBuilder().setVolume(Volume.newBuilder().setVolumeId("vol-2")).build());

        Cli.Result result = peer.run("controller", "create-volume", "pvc-2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                volume id: vol-2
                capacity:  unknown
                """);
        assertThat(peer.request(CreateVolumeRequest.class)).isEqualTo(CreateVolumeRequest.newBuilder()
                .setName("pvc-2")
                .addVolumeCapabilities(mount("", Mode.SINGLE_NODE_WRITER))
                .build());
        CreateVolumeRequest request = peer.request(CreateVolumeRequest.class);
        assertThat(request.hasCapacityRange()).isFalse();
        assertThat(request.hasAccessibilityRequirements()).isFalse();
        assertThat(request.hasVolumeContentSource()).isFalse();
    }

    @Test
    void createVolumeSendsABlockCloneWithOnlyALimit() {
        peer.respondWith(CreateVolumeResponse.newBuilder().setVolume(volume()).build());

        Cli.Result result = peer.run("controller", "create-volume", "pvc-3", "--block", "--limit", "512Mi",
                "--access-mode", "single-node-multi-writer", "--from-volume", "vol-0", "--preferred", "zone=a");

        assertThat(result.exitCode()).isZero();
        CreateVolumeRequest request = peer.request(CreateVolumeRequest.class);
        assertThat(request.getVolumeCapabilitiesList()).containsExactly(block(Mode.SINGLE_NODE_MULTI_WRITER));
        assertThat(request.getCapacityRange()).isEqualTo(CapacityRange.newBuilder().setLimitBytes(536870912L).build());
        assertThat(request.getVolumeContentSource().getVolume().getVolumeId()).isEqualTo("vol-0");
        assertThat(request.getAccessibilityRequirements().getRequisiteList()).isEmpty();
        assertThat(request.getAccessibilityRequirements().getPreferredList()).containsExactly(topology(Map.of("zone", "a")));
    }

    @Test
    void createVolumeAsJsonPrintsTheResponse() {
        peer.respondWith(CreateVolumeResponse.newBuilder().setVolume(Volume.newBuilder().setVolumeId("vol-1").setCapacityBytes(4096)).build());

        Cli.Result result = peer.run("controller", "create-volume", "pvc-1", "-o", "json", "--secret", "k=" + SECRET);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                {
                  "volume": {
                    "capacityBytes": "4096",
                    "volumeId": "vol-1"
                  }
                }
                """);
    }

    @Test
    void aDriverErrorIsPrintedAsCodeAndMessageWithExitCodeOne() {
        peer.assertFails(Status.ALREADY_EXISTS.withDescription("volume pvc-1 exists with another size"),
                "ALREADY_EXISTS: volume pvc-1 exists with another size\n",
                "controller", "create-volume", "pvc-1", "--size", "1Gi", "--secret", "password=" + SECRET);
    }

    @Test
    void aSecretEchoedInADriverErrorIsMasked() {
        peer.assertFails(Status.UNAUTHENTICATED.withDescription("password " + SECRET + " is wrong"),
                "UNAUTHENTICATED: password *** is wrong\n",
                "controller", "create-volume", "pvc-1", "--secret", "password=" + SECRET);
    }

    // usage errors: exit code 2 and a message, no call to the driver, never a secret shown

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usageError("fs and block together", "mutually exclusive",
                        "create-volume", "pvc-1", "--fs", "ext4", "--block"),
                usageError("snapshot and volume sources together", "mutually exclusive",
                        "create-volume", "pvc-1", "--from-snapshot", "s", "--from-volume", "v"),
                usageError("a bad size", "Invalid value for option '--size': '10X' is not a size",
                        "create-volume", "pvc-1", "--size", "10X"),
                usageError("a negative size", "a size cannot be negative",
                        "create-volume", "pvc-1", "--size", "-1Gi"),
                usageError("an overflowing size", "'9Ei' is too large",
                        "create-volume", "pvc-1", "--limit", "9Ei"),
                usageError("a limit below the size", "--limit (1073741824) is smaller than --size (2147483648)",
                        "create-volume", "pvc-1", "--size", "2Gi", "--limit", "1Gi"),
                usageError("mount flags on a block volume", "--mount-flag applies to mount volumes, not to --block",
                        "create-volume", "pvc-1", "--block", "--mount-flag", "ro"),
                usageError("an unknown access mode", "unknown access mode 'rwx'; use one of: single-node-writer,",
                        "create-volume", "pvc-1", "--access-mode", "rwx"),
                usageError("a malformed secret, not shown",
                        "Invalid value for option '--secret' (KEY=VALUE): expected KEY=VALUE",
                        "create-volume", "pvc-1", "--secret", SECRET),
                usageError("a secret key given twice, the values not shown", "--secret: key 'p' given twice",
                        "create-volume", "pvc-1", "--secret", "p=" + SECRET, "--secret", "p=" + SECRET + "x"),
                usageError("a parameter without a value", "'novalue' is not KEY=VALUE",
                        "create-volume", "pvc-1", "--param", "novalue"),
                usageError("a parameter given twice", "--param: key 'a' given twice",
                        "create-volume", "pvc-1", "--param", "a=1", "--param", "a=2"),
                usageError("a topology naming a segment twice", "names segment 'zone' twice",
                        "create-volume", "pvc-1", "--requisite", "zone=a,zone=b"),
                usageError("a missing name", "Missing required parameter: 'NAME'",
                        "create-volume"),
                usageError("list-volumes with a negative max", "--max cannot be negative",
                        "list-volumes", "--max", "-1"),
                usageError("validate with fs and block", "mutually exclusive",
                        "validate", "vol-1", "--block", "--fs", "ext4"),
                usageError("capacity with a topology key given twice", "--topology: key 'zone' given twice",
                        "capacity", "--topology", "zone=a", "--topology", "zone=b"));
    }

    private static Arguments usageError(String name, String message, String... controllerArgs) {
        return Arguments.of(name, message, controllerArgs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void aUsageErrorExitsWithTwoAndAMessageAndCallsNothing(String name, String message, String[] controllerArgs) {
        peer.assertUsageError(message, SECRET, Stream.concat(Stream.of("controller"), Stream.of(controllerArgs)).toArray(String[]::new));
    }

    // delete-volume

    @Test
    void deleteVolumeSendsTheIdAndSecretsAndSaysDeleted() {
        peer.respondWith(DeleteVolumeResponse.getDefaultInstance());

        Cli.Result result = peer.run("controller", "delete-volume", "vol-1", "--secret", "token=" + SECRET);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("deleted vol-1\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(peer.request(DeleteVolumeRequest.class)).isEqualTo(DeleteVolumeRequest.newBuilder()
                .setVolumeId("vol-1").putSecrets("token", SECRET).build());
    }

    @Test
    void deleteVolumeFailureIsCodeAndMessage() {
        peer.assertFails(Status.FAILED_PRECONDITION.withDescription("volume vol-1 has snapshots"),
                "FAILED_PRECONDITION: volume vol-1 has snapshots\n",
                "controller", "delete-volume", "vol-1", "--secret", "token=" + SECRET);
    }

    // list-volumes

    @Test
    void listVolumesPrintsALinePerVolumeAndTheNextToken() {
        peer.respondWith(ListVolumesResponse.newBuilder()
                .addEntries(ListVolumesResponse.Entry.newBuilder()
                        .setVolume(Volume.newBuilder().setVolumeId("vol-1").setCapacityBytes(1L << 30))
                        .setStatus(ListVolumesResponse.VolumeStatus.newBuilder().addPublishedNodeIds("node-a").addPublishedNodeIds("node-b")
                                .setVolumeCondition(VolumeCondition.newBuilder().setAbnormal(false).setMessage("fine"))))
                .addEntries(ListVolumesResponse.Entry.newBuilder()
                        .setVolume(Volume.newBuilder().setVolumeId("vol-2").setCapacityBytes(512L << 20))
                        .setStatus(ListVolumesResponse.VolumeStatus.newBuilder()
                                .setVolumeCondition(VolumeCondition.newBuilder().setAbnormal(true).setMessage("disk failing"))))
                .addEntries(ListVolumesResponse.Entry.newBuilder()
                        .setVolume(Volume.newBuilder().setVolumeId("vol-3")))
                .setNextToken("page-2")
                .build());

        Cli.Result result = peer.run("controller", "list-volumes", "--max", "3", "--token", "page-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                vol-1  1073741824 (1 GiB)  published: node-a,node-b
                vol-2  536870912 (512 MiB)  abnormal: disk failing
                vol-3  unknown
                next token: page-2
                """);
        assertThat(peer.request(ListVolumesRequest.class)).isEqualTo(ListVolumesRequest.newBuilder()
                .setMaxEntries(3).setStartingToken("page-1").build());
    }

    @Test
    void listVolumesWithoutOptionsAsksForEverythingAndSaysNoneWhenEmpty() {
        peer.respondWith(ListVolumesResponse.getDefaultInstance());

        Cli.Result result = peer.run("controller", "list-volumes");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("(none)\n");
        assertThat(peer.request(ListVolumesRequest.class)).isEqualTo(ListVolumesRequest.getDefaultInstance());
    }

    @Test
    void listVolumesWithAnAbortedTokenIsCodeAndMessage() {
        peer.assertFails(Status.ABORTED.withDescription("invalid starting token"),
                "ABORTED: invalid starting token\n",
                "controller", "list-volumes", "--token", "stale");
    }

    // get-volume

    @Test
    void getVolumePrintsTheVolumeWhereItIsPublishedAndItsCondition() {
        peer.respondWith(ControllerGetVolumeResponse.newBuilder()
                .setVolume(volume())
                .setStatus(ControllerGetVolumeResponse.VolumeStatus.newBuilder()
                        .addPublishedNodeIds("node-a").addPublishedNodeIds("node-b")
                        .setVolumeCondition(VolumeCondition.newBuilder().setAbnormal(true).setMessage("read errors")))
                .build());

        Cli.Result result = peer.run("controller", "get-volume", "vol-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                volume id: vol-1
                capacity:  1073741824 (1 GiB)
                context:
                  a: 1
                  b: 2
                topology:
                  rack=r1,zone=a
                  zone=b
                published: node-a, node-b
                condition: abnormal: read errors
                """);
        assertThat(peer.request(ControllerGetVolumeRequest.class))
                .isEqualTo(ControllerGetVolumeRequest.newBuilder().setVolumeId("vol-1").build());
    }

    @Test
    void getVolumeShowsAHealthyCondition() {
        peer.respondWith(ControllerGetVolumeResponse.newBuilder()
                .setVolume(Volume.newBuilder().setVolumeId("vol-1").setCapacityBytes(1000))
                .setStatus(ControllerGetVolumeResponse.VolumeStatus.newBuilder()
                        .setVolumeCondition(VolumeCondition.newBuilder().setAbnormal(false)))
                .build());

        Cli.Result result = peer.run("controller", "get-volume", "vol-1");

        assertThat(result.stdout()).isEqualTo("""
                volume id: vol-1
                capacity:  1000 (1000 B)
                condition: ok
                """);
    }

    @Test
    void getVolumeOfAMissingVolumeIsNotFound() {
        peer.assertFails(Status.NOT_FOUND.withDescription("no volume vol-9"),
                "NOT_FOUND: no volume vol-9\n",
                "controller", "get-volume", "vol-9");
    }

    // validate

    @Test
    void validatePrintsWhatTheDriverConfirmed() {
        peer.respondWith(ValidateVolumeCapabilitiesResponse.newBuilder()
                .setConfirmed(ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                        .addVolumeCapabilities(mount("xfs", Mode.MULTI_NODE_MULTI_WRITER, "noatime"))
                        .putVolumeContext("pool", "p1")
                        .putParameters("type", "fast"))
                .build());

        Cli.Result result = peer.run("controller", "validate", "vol-1", "--fs", "xfs", "--mount-flag", "noatime",
                "--access-mode", "multi-node-multi-writer", "--param", "type=fast", "--context", "pool=p1",
                "--secret", "key=" + SECRET);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                confirmed
                capabilities:
                  mount fs=xfs flags=noatime multi-node-multi-writer
                context:
                  pool: p1
                parameters:
                  type: fast
                """);
        assertThat(peer.request(ValidateVolumeCapabilitiesRequest.class)).isEqualTo(ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId("vol-1")
                .addVolumeCapabilities(mount("xfs", Mode.MULTI_NODE_MULTI_WRITER, "noatime"))
                .putParameters("type", "fast")
                .putVolumeContext("pool", "p1")
                .putSecrets("key", SECRET)
                .build());
        assertThat(result.stdout() + result.stderr()).doesNotContain(SECRET);
    }

    @Test
    void validateDefaultsToASingleNodeWriterMount() {
        peer.respondWith(ValidateVolumeCapabilitiesResponse.newBuilder()
                .setConfirmed(ValidateVolumeCapabilitiesResponse.Confirmed.getDefaultInstance()).build());

        Cli.Result result = peer.run("controller", "validate", "vol-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("confirmed\n");
        assertThat(peer.request(ValidateVolumeCapabilitiesRequest.class).getVolumeCapabilitiesList())
                .containsExactly(mount("", Mode.SINGLE_NODE_WRITER));
    }

    @Test
    void validateNotConfirmedPrintsTheMessageAndExitsOne() {
        peer.respondWith(ValidateVolumeCapabilitiesResponse.newBuilder().setMessage("block volumes are not supported").build());

        Cli.Result result = peer.run("controller", "validate", "vol-1", "--block");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEqualTo("not confirmed: block volumes are not supported\n");
        assertThat(peer.request(ValidateVolumeCapabilitiesRequest.class).getVolumeCapabilitiesList())
                .containsExactly(block(Mode.SINGLE_NODE_WRITER));
    }

    // capacity

    @Test
    void capacityPrintsAvailableMaximumAndMinimum() {
        peer.respondWith(GetCapacityResponse.newBuilder()
                .setAvailableCapacity(10L << 30)
                .setMaximumVolumeSize(Int64Value.of(1L << 40))
                .setMinimumVolumeSize(Int64Value.of(1L << 20))
                .build());

        Cli.Result result = peer.run("controller", "capacity", "--param", "type=fast", "--topology", "zone=a",
                "--topology", "rack=r1", "--block", "--access-mode", "single-node-reader-only");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("""
                available:           10737418240 (10 GiB)
                maximum volume size: 1099511627776 (1 TiB)
                minimum volume size: 1048576 (1 MiB)
                """);
        assertThat(peer.request(GetCapacityRequest.class)).isEqualTo(GetCapacityRequest.newBuilder()
                .addVolumeCapabilities(block(Mode.SINGLE_NODE_READER_ONLY))
                .putParameters("type", "fast")
                .setAccessibleTopology(topology(Map.of("zone", "a", "rack", "r1")))
                .build());
    }

    @Test
    void capacityWithoutOptionsAsksForAllCapacityAndOmitsUnsetSizes() {
        peer.respondWith(GetCapacityResponse.newBuilder().setAvailableCapacity(0).build());

        Cli.Result result = peer.run("controller", "capacity");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("available:           0 (0 B)\n");
        assertThat(peer.request(GetCapacityRequest.class)).isEqualTo(GetCapacityRequest.getDefaultInstance());
    }

    @Test
    void capacityWithOnlyAnFsTypeSendsThatMountCapability() {
        peer.respondWith(GetCapacityResponse.newBuilder().setAvailableCapacity(4096).build());

        Cli.Result result = peer.run("controller", "capacity", "--fs", "ext4");

        assertThat(result.exitCode()).isZero();
        assertThat(peer.request(GetCapacityRequest.class).getVolumeCapabilitiesList())
                .containsExactly(mount("ext4", Mode.SINGLE_NODE_WRITER));
        assertThat(peer.request(GetCapacityRequest.class).hasAccessibleTopology()).isFalse();
    }

    // capabilities

    @Test
    void capabilitiesStillListsTheControllerRpcs() {
        peer.respondWith(ControllerGetCapabilitiesResponse.newBuilder()
                .addCapabilities(ControllerServiceCapability.newBuilder().setRpc(ControllerServiceCapability.RPC.newBuilder()
                        .setType(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME)))
                .build());

        Cli.Result result = peer.run("controller", "capabilities");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("CREATE_DELETE_VOLUME\n");
    }

    @Test
    void everyCommandIsRegistered() {
        peer.assertHelpLists("controller", "create-volume", "delete-volume", "list-volumes", "get-volume",
                "validate", "capacity", "capabilities");
    }
}
