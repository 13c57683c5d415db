package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import csi.v1.CapacityRange;
import csi.v1.ControllerGetVolumeRequest;
import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.GetCapacityRequest;
import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import csi.v1.Topology;
import csi.v1.TopologyRequirement;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.ValidateVolumeCapabilitiesResponse;
import csi.v1.Volume;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import csi.v1.VolumeContentSource;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Controller volume RPCs over the local backend, end to end: a real driver in its own JVM,
 * called on its unix socket, its data directory examined by hand. Every test deletes what it
 * created, so the tests share one driver.
 */
class LocalControllerTest {

    private static final long MiB = 1L << 20;
    private static final long GiB = 1L << 30;
    private static final String TOPOLOGY_KEY = "topology.csi4j.io/node";
    private static final Topology THIS_NODE = Topology.newBuilder().putSegments(TOPOLOGY_KEY, "test-node").build();
    private static final Topology OTHER_NODE = Topology.newBuilder().putSegments(TOPOLOGY_KEY, "other-node").build();

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    /** Volumes a test created, deleted after it whatever happened. */
    private final List<String> created = new CopyOnWriteArrayList<>();

    @AfterEach
    void deleteWhatTheTestCreated() {
        StatusRuntimeException first = null;
        for (String id : created) {
            try {
                controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
            } catch (StatusRuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // --- CreateVolume ----------------------------------------------------------------------

    @Test
    void createVolumeMakesASparseExt4ImageOfOneGibibyteByDefault() throws Exception {
        Volume volume = create(request("pvc-default").clearCapacityRange());

        assertThat(volume.getVolumeId()).matches("l1\\.[0-9a-f]{32}\\.test-node");
        assertThat(volume.getCapacityBytes()).isEqualTo(GiB);
        assertThat(volume.getVolumeContextMap()).isEqualTo(Map.of(
                "type", "image", "access", "mount", "fsType", "ext4", "capacityEnforced", "true"));
        assertThat(volume.getAccessibleTopologyList()).containsExactly(THIS_NODE);
        Path image = image(volume.getVolumeId());
        assertThat(image).isRegularFile();
        assertThat(Files.size(image)).isEqualTo(GiB);
        assertThat(allocatedBytes(image)).as("bytes allocated to the sparse image").isLessThan(MiB);
        assertThat(record(volume.getVolumeId())).isRegularFile();
    }

    @Test
    void createVolumeMakesABlockImageOfTheRequiredSize() throws IOException {
        Volume volume = create(request("pvc-block").setVolumeCapabilities(0, block(Mode.SINGLE_NODE_WRITER)));

        assertThat(volume.getCapacityBytes()).isEqualTo(16 * MiB);
        assertThat(volume.getVolumeContextMap()).isEqualTo(Map.of(
                "type", "image", "access", "block", "capacityEnforced", "true"));
        assertThat(Files.size(image(volume.getVolumeId()))).isEqualTo(16 * MiB);
    }

    @Test
    void createVolumeMakesADirectoryWhenCapacityNeedNotBeEnforced() {
        Volume volume = create(request("pvc-directory")
                .putParameters("type", "directory").putParameters("enforceCapacity", "false")
                .putParameters("csi.storage.k8s.io/pvc/name", "data"));

        assertThat(volume.getVolumeContextMap()).isEqualTo(Map.of(
                "type", "directory", "access", "mount", "capacityEnforced", "false"));
        assertThat(volumes().resolve(uuid(volume.getVolumeId()))).isDirectory();
    }

    @Test
    void repeatingACreateReturnsTheSameVolume() {
        Volume first = create(request("pvc-repeat"));
        Volume again = controller().createVolume(request("pvc-repeat").build()).getVolume();

        assertThat(again).isEqualTo(first);
    }

    @Test
    void anIncompatibleRepeatIsAlreadyExists() {
        create(request("pvc-incompatible"));

        assertThat(codeOf(() -> controller().createVolume(request("pvc-incompatible")
                .setVolumeCapabilities(0, block(Mode.SINGLE_NODE_WRITER)).build())))
                .as("block instead of mount").isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(codeOf(() -> controller().createVolume(request("pvc-incompatible")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32 * MiB)).build())))
                .as("larger than the existing volume").isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(codeOf(() -> controller().createVolume(request("pvc-incompatible")
                .putParameters("type", "directory").putParameters("enforceCapacity", "false").build())))
                .as("another type").isEqualTo(Status.Code.ALREADY_EXISTS);
    }

    static Stream<Arguments> invalidCreates() {
        return Stream.of(
                Arguments.of("missing name", request("").clearName(), Status.Code.INVALID_ARGUMENT),
                Arguments.of("no capabilities", request("pvc-bad").clearVolumeCapabilities(),
                        Status.Code.INVALID_ARGUMENT),
                Arguments.of("unknown parameter", request("pvc-bad").putParameters("colour", "blue"),
                        Status.Code.INVALID_ARGUMENT),
                Arguments.of("MULTI_NODE_MULTI_WRITER", request("pvc-bad")
                        .setVolumeCapabilities(0, mount("", Mode.MULTI_NODE_MULTI_WRITER)), Status.Code.INVALID_ARGUMENT),
                Arguments.of("block with type directory", request("pvc-bad")
                        .setVolumeCapabilities(0, block(Mode.SINGLE_NODE_WRITER))
                        .putParameters("type", "directory").putParameters("enforceCapacity", "false"),
                        Status.Code.INVALID_ARGUMENT),
                Arguments.of("fsType btrfs", request("pvc-bad")
                        .setVolumeCapabilities(0, mount("btrfs", Mode.SINGLE_NODE_WRITER)), Status.Code.INVALID_ARGUMENT),
                Arguments.of("directory with enforced capacity", request("pvc-bad").putParameters("type", "directory"),
                        Status.Code.INVALID_ARGUMENT),
                Arguments.of("content source snapshot", request("pvc-bad").setVolumeContentSource(
                        VolumeContentSource.newBuilder().setSnapshot(
                                VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId("snap-1"))),
                        Status.Code.NOT_FOUND),
                Arguments.of("limit below required", request("pvc-bad").setCapacityRange(
                        CapacityRange.newBuilder().setRequiredBytes(32 * MiB).setLimitBytes(16 * MiB)),
                        Status.Code.OUT_OF_RANGE),
                Arguments.of("requisite topology of another node", request("pvc-bad").setAccessibilityRequirements(
                        TopologyRequirement.newBuilder().addRequisite(OTHER_NODE)), Status.Code.RESOURCE_EXHAUSTED));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("invalidCreates")
    void anInvalidCreateFailsWithItsCodeAndLeavesNothingBehind(String what, CreateVolumeRequest.Builder request,
                                                               Status.Code expected) throws IOException {
        Set<Path> before = dataFiles();

        StatusRuntimeException failure = failureOf(() -> controller().createVolume(request.build()));

        assertThat(failure.getStatus().getCode()).as(what).isEqualTo(expected);
        assertThat(failure.getStatus().getDescription()).as("message of %s", what).isNotBlank();
        assertThat(dataFiles()).isEqualTo(before);
    }

    @Test
    void aVolumeLargerThanTheRoomLeftIsResourceExhaustedUnlessOvercommitted() throws IOException {
        long room = capacity(THIS_NODE);
        long size = room + GiB;
        assumeThat(size).as("a volume beyond the free space but within the filesystem")
                .isLessThanOrEqualTo(Files.getFileStore(driver.dataDir()).getTotalSpace());
        Set<Path> before = dataFiles();

        assertThat(codeOf(() -> controller().createVolume(request("pvc-huge")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size)).build())))
                .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(dataFiles()).isEqualTo(before);

        Volume overcommitted = create(request("pvc-huge").putParameters("overcommit", "true")
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size)));
        assertThat(overcommitted.getCapacityBytes()).isGreaterThanOrEqualTo(size);
    }

    @Test
    void concurrentCreatesOfOneNameMakeOneVolume() throws Exception {
        Set<String> before = listAll();
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Object>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        return controller().createVolume(request("pvc-concurrent").build()).getVolume().getVolumeId();
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            List<Object> results = new ArrayList<>();
            for (Future<Object> outcome : outcomes) {
                results.add(outcome.get(60, TimeUnit.SECONDS));
            }
            List<String> ids = results.stream().filter(String.class::isInstance).map(String.class::cast).toList();
            created.addAll(Set.copyOf(ids));

            assertThat(results).as("each call's volume ID or status")
                    .allMatch(r -> r instanceof String || r == Status.Code.ABORTED);
            assertThat(ids).isNotEmpty();
            assertThat(Set.copyOf(ids)).hasSize(1);
            Set<String> added = listAll();
            added.removeAll(before);
            assertThat(added).isEqualTo(Set.copyOf(ids));
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    // --- DeleteVolume ----------------------------------------------------------------------

    @Test
    void deleteVolumeRemovesTheImageAndTheRecordAndSucceedsAgain() {
        String id = controller().createVolume(request("pvc-delete").build()).getVolume().getVolumeId();
        assertThat(image(id)).exists();

        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());

        assertThat(image(id)).doesNotExist();
        assertThat(record(id)).doesNotExist();
        assertThat(codeOf(() -> controller().controllerGetVolume(get(id)))).isEqualTo(Status.Code.NOT_FOUND);
        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build()); // twice: still OK
    }

    @Test
    void deletingAMalformedIdSucceeds() {
        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("no-such-volume").build());
        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId("l1.xyz.test-node").build());
    }

    @Test
    void deletingAVolumeOfAnotherNodeIsFailedPreconditionNamingThatNode() {
        String id = "l1." + "0123456789abcdef".repeat(2) + ".other-node";

        StatusRuntimeException failure = failureOf(() -> controller()
                .deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build()));

        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(failure.getStatus().getDescription()).contains("other-node");
    }

    @Test
    void deleteVolumeWithoutAnIdIsInvalidArgument() {
        assertThat(codeOf(() -> controller().deleteVolume(DeleteVolumeRequest.getDefaultInstance())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    // --- ControllerGetVolume ---------------------------------------------------------------

    @Test
    void controllerGetVolumeOfAnUnknownVolumeIsNotFound() {
        assertThat(codeOf(() -> controller().controllerGetVolume(get("l1." + "0".repeat(32) + ".test-node"))))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> controller().controllerGetVolume(get("not-a-volume-id"))))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(codeOf(() -> controller().controllerGetVolume(get("")))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void controllerGetVolumeReportsAnAbnormalConditionOnceTheImageIsRemovedByHand() throws IOException {
        Volume volume = create(request("pvc-condition"));
        ControllerGetVolumeResponse healthy = controller().controllerGetVolume(get(volume.getVolumeId()));
        assertThat(healthy.getVolume()).isEqualTo(volume);
        assertThat(healthy.getStatus().getVolumeCondition().getAbnormal()).isFalse();

        Files.delete(image(volume.getVolumeId()));

        ControllerGetVolumeResponse broken = controller().controllerGetVolume(get(volume.getVolumeId()));
        assertThat(broken.getStatus().getVolumeCondition().getAbnormal()).isTrue();
        assertThat(broken.getStatus().getVolumeCondition().getMessage()).contains("image file is missing");
        assertThat(listPages(0).stream().flatMap(page -> page.getEntriesList().stream())
                .filter(entry -> entry.getVolume().getVolumeId().equals(volume.getVolumeId()))
                .map(entry -> entry.getStatus().getVolumeCondition().getAbnormal()))
                .as("the listing's condition").containsExactly(true);
    }

    // --- ListVolumes -----------------------------------------------------------------------

    @Test
    void listVolumesPagesThroughEveryVolumeTwoAtATime() {
        Set<String> before = listAll();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(request("pvc-list-" + i)).getVolumeId());
        }

        List<ListVolumesResponse> pages = listPages(2);

        List<String> listed = pages.stream().flatMap(page -> page.getEntriesList().stream())
                .map(entry -> entry.getVolume().getVolumeId()).toList();
        assertThat(pages).allMatch(page -> page.getEntriesCount() <= 2);
        assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
        assertThat(pages.getLast().getNextToken()).isEmpty();
        assertThat(listed).doesNotHaveDuplicates();
        Set<String> expected = new HashSet<>(before);
        expected.addAll(ids);
        assertThat(Set.copyOf(listed)).isEqualTo(expected);
    }

    @Test
    void listVolumesWithABogusStartingTokenIsAborted() {
        assertThat(codeOf(() -> controller().listVolumes(
                ListVolumesRequest.newBuilder().setMaxEntries(2).setStartingToken("bogus-token").build())))
                .isEqualTo(Status.Code.ABORTED);
    }

    // --- ValidateVolumeCapabilities -------------------------------------------------------

    @Test
    void validateConfirmsTheCapabilitiesOfTheVolumeOnly() {
        String id = create(request("pvc-validate")).getVolumeId();

        for (VolumeCapability supported : List.of(mount("", Mode.SINGLE_NODE_WRITER),
                mount("ext4", Mode.SINGLE_NODE_WRITER), mount("ext4", Mode.SINGLE_NODE_READER_ONLY))) {
            ValidateVolumeCapabilitiesResponse answer = controller().validateVolumeCapabilities(validate(id, supported));
            assertThat(answer.hasConfirmed()).as("confirmed: %s", supported).isTrue();
            assertThat(answer.getConfirmed().getVolumeCapabilitiesList()).containsExactly(supported);
        }
        for (VolumeCapability unsupported : List.of(block(Mode.SINGLE_NODE_WRITER),
                mount("xfs", Mode.SINGLE_NODE_WRITER), mount("ext4", Mode.MULTI_NODE_MULTI_WRITER))) {
            ValidateVolumeCapabilitiesResponse answer = controller().validateVolumeCapabilities(validate(id, unsupported));
            assertThat(answer.hasConfirmed()).as("confirmed: %s", unsupported).isFalse();
            assertThat(answer.getMessage()).as("why not: %s", unsupported).isNotBlank();
        }
        assertThat(controller().validateVolumeCapabilities(validate(id, block(Mode.SINGLE_NODE_WRITER))).getMessage())
                .isEqualTo("the volume is a filesystem volume");
    }

    @Test
    void validateOfAnUnknownVolumeIsNotFound() {
        assertThat(codeOf(() -> controller().validateVolumeCapabilities(
                validate("l1." + "0".repeat(32) + ".test-node", mount("", Mode.SINGLE_NODE_WRITER)))))
                .isEqualTo(Status.Code.NOT_FOUND);
    }

    // --- GetCapacity -----------------------------------------------------------------------

    @Test
    void getCapacityReportsRoomOnThisNodeAndNoneOnOthers() {
        assertThat(capacity(THIS_NODE)).isPositive();
        assertThat(controller().getCapacity(GetCapacityRequest.getDefaultInstance()).getAvailableCapacity())
                .isPositive();
        assertThat(capacity(OTHER_NODE)).isZero();
    }

    @Test
    void getCapacityDropsByTheSizeOfANewVolume() {
        long tolerance = 8 * MiB; // other processes write to the same disk meanwhile
        long drop = 0;
        for (int attempt = 1; attempt <= 5; attempt++) {
            long before = capacity(THIS_NODE);
            String id = create(request("pvc-capacity-" + attempt)
                    .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(GiB))).getVolumeId();
            drop = before - capacity(THIS_NODE);
            if (Math.abs(drop - GiB) <= tolerance) {
                return;
            }
            controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
            created.remove(id);
        }
        assertThat(drop).as("capacity drop after creating a 1 GiB volume").isBetween(GiB - tolerance, GiB + tolerance);
    }

    // --- helpers ---------------------------------------------------------------------------

    private static ControllerGrpc.ControllerBlockingStub controller() {
        return driver.driver().controller();
    }

    /** A valid request: an ext4 mount volume for one writer, 16 MiB. */
    private static CreateVolumeRequest.Builder request(String name) {
        return CreateVolumeRequest.newBuilder()
                .setName(name)
                .addVolumeCapabilities(mount("", Mode.SINGLE_NODE_WRITER))
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(16 * MiB));
    }

    /** Creates the volume, to be deleted after the test. */
    private Volume create(CreateVolumeRequest.Builder request) {
        Volume volume = controller().createVolume(request.build()).getVolume();
        if (!created.contains(volume.getVolumeId())) {
            created.add(volume.getVolumeId());
        }
        return volume;
    }

    static VolumeCapability mount(String fsType, Mode mode) {
        return VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType(fsType))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    static VolumeCapability block(Mode mode) {
        return VolumeCapability.newBuilder()
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    private static ControllerGetVolumeRequest get(String id) {
        return ControllerGetVolumeRequest.newBuilder().setVolumeId(id).build();
    }

    private static ValidateVolumeCapabilitiesRequest validate(String id, VolumeCapability capability) {
        return ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId(id).addVolumeCapabilities(capability).build();
    }

    private static long capacity(Topology segment) {
        return controller().getCapacity(GetCapacityRequest.newBuilder().setAccessibleTopology(segment).build())
                .getAvailableCapacity();
    }

    /** Every page of a listing with {@code maxEntries} a page (0: as many as the driver likes). */
    private static List<ListVolumesResponse> listPages(int maxEntries) {
        List<ListVolumesResponse> pages = new ArrayList<>();
        String token = "";
        do {
            ListVolumesResponse page = controller().listVolumes(
                    ListVolumesRequest.newBuilder().setMaxEntries(maxEntries).setStartingToken(token).build());
            pages.add(page);
            token = page.getNextToken();
            assertThat(pages).as("pages").hasSizeLessThan(1000);
        } while (!token.isEmpty());
        return pages;
    }

    private static Set<String> listAll() {
        Set<String> ids = new HashSet<>();
        listPages(0).forEach(page -> page.getEntriesList().forEach(e -> ids.add(e.getVolume().getVolumeId())));
        return ids;
    }

    private static String uuid(String volumeId) {
        assertThat(volumeId).matches("l1\\.[0-9a-f]{32}\\..+");
        return volumeId.substring(3, 35);
    }

    private static Path volumes() {
        return driver.dataDir().resolve("volumes");
    }

    private static Path image(String volumeId) {
        return volumes().resolve(uuid(volumeId) + ".img");
    }

    private static Path record(String volumeId) {
        return driver.dataDir().resolve("records").resolve(uuid(volumeId) + ".volume");
    }

    /** Every file and directory under the data directory. */
    private static Set<Path> dataFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(driver.dataDir())) {
            return paths.collect(java.util.stream.Collectors.toSet());
        }
    }

    /** The bytes the filesystem allocated to {@code file}: 512 times its st_blocks. */
    private static long allocatedBytes(Path file) throws IOException, InterruptedException {
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String blocks = new String(stat.getInputStream().readAllBytes()).strip();
        assertThat(stat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stat.exitValue()).as("stat: %s", blocks).isZero();
        return Long.parseLong(blocks) * 512;
    }

    private static StatusRuntimeException failureOf(ThrowingCallable call) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("the call should have failed").isNotNull();
        return failure;
    }

    private static Status.Code codeOf(ThrowingCallable call) {
        return failureOf(call).getStatus().getCode();
    }
}
