package io.csi4j.backend.local.provision;

import static io.csi4j.backend.local.provision.Specs.GiB;
import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.NODE;
import static io.csi4j.backend.local.provision.Specs.block;
import static io.csi4j.backend.local.provision.Specs.mount;
import static io.csi4j.backend.local.provision.Specs.named;
import static io.csi4j.backend.local.provision.Specs.nodeSegment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.linux.StatFs;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.CapacityReport;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidPageToken;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumePage;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalProvisionerTest extends ProvisionerFixture {

    private static final String OTHER_NODE_ID = "l1.0123456789abcdef0123456789abcdef.other-node";

    private Volume small(String name) {
        return provisioner.create(named(name).required(4 * MiB).build());
    }

    /** The IDs of {@code count} small volumes v0, v1, ..., created in that order. */
    private List<String> smallVolumes(int count) {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            created.add(small("v" + i).id());
        }
        return created;
    }

    // --- delete -------------------------------------------------------------------------------

    @Test
    void deleteRemovesTheImageAndTheRecord() {
        Volume volume = small("v");

        provisioner.delete(volume.id());

        assertThat(image(volume)).doesNotExist();
        assertThat(record(volume)).doesNotExist();
        assertThat(provisioner.get(volume.id())).isEmpty();
        assertThat(provisioner.list(0, "").volumes()).isEmpty();
    }

    @Test
    void deleteRemovesADirectoryVolumeWithItsContent() throws Exception {
        Volume volume = provisioner.create(named("d").required(GiB).directory().build());
        Path data = directory(volume);
        Files.createDirectories(data.resolve("a/b/c"));
        Files.writeString(data.resolve("a/b/c/file"), "payload");
        Files.writeString(data.resolve("top"), "payload");

        provisioner.delete(volume.id());

        assertThat(data).doesNotExist();
        assertThat(record(volume)).doesNotExist();
    }

    @Test
    void deleteOfADirectoryVolumeDoesNotFollowSymbolicLinksOut() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("precious"), "keep me");
        Volume volume = provisioner.create(named("d").required(GiB).directory().build());
        Path data = directory(volume);
        Files.createSymbolicLink(data.resolve("link-to-dir"), outside);
        Files.createSymbolicLink(data.resolve("link-to-file"), outside.resolve("precious"));

        provisioner.delete(volume.id());

        assertThat(data).doesNotExist();
        assertThat(outside.resolve("precious")).hasContent("keep me");
    }

    @Test
    void deletingTwiceIsFine() {
        Volume volume = small("v");

        provisioner.delete(volume.id());
        provisioner.delete(volume.id());

        assertThat(provisioner.get(volume.id())).isEmpty();
    }

    @Test
    void deletingAnUnknownVolumeOfThisNodeIsFine() {
        small("kept");

        provisioner.delete("l1.0123456789abcdef0123456789abcdef." + NODE);

        assertThat(provisioner.list(0, "").volumes()).hasSize(1);
    }

    @ParameterizedTest(name = "deleting malformed id ''{0}'' is fine")
    @ValueSource(strings = {"", "pvc-123", "l1.nothex.node-1", "l1.0123456789abcdef0123456789abcdef./../x",
            "l1.0123456789ABCDEF0123456789ABCDEF.node-1"})
    void deletingAMalformedIdIsFine(String id) {
        Volume volume = small("kept");

        provisioner.delete(id);

        assertThat(provisioner.get(volume.id())).isPresent();
    }

    @Test
    void deletingAVolumeOfAnotherNodeIsRefusedNamingTheNode() {
        assertThatThrownBy(() -> provisioner.delete(OTHER_NODE_ID))
                .isInstanceOf(FailedPrecondition.class)
                .hasMessageContaining("lives on node other-node")
                .hasMessageContaining(OTHER_NODE_ID);
    }

    @Test
    void afterDeleteTheSameNameCanBeCreatedAgainWithANewId() {
        Volume first = small("v");
        provisioner.delete(first.id());

        Volume second = provisioner.create(named("v").required(8 * MiB).build());

        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.capacityBytes()).isEqualTo(8 * MiB);
        assertThat(image(second)).exists();
        assertThat(image(first)).doesNotExist();
    }

    @Test
    void deleteLeavesOtherVolumesAlone() {
        Volume doomed = small("doomed");
        Volume kept = small("kept");

        provisioner.delete(doomed.id());

        assertThat(image(kept)).exists();
        assertThat(provisioner.list(0, "").volumes()).extracting(s -> s.volume().id()).containsExactly(kept.id());
    }

    // --- get ----------------------------------------------------------------------------------

    @Test
    void getOfAKnownVolumeIsAHealthyStatus() {
        Volume volume = small("v");

        assertThat(provisioner.get(volume.id())).hasValueSatisfying(status -> {
            assertThat(status.volume()).isEqualTo(volume);
            assertThat(status.abnormal()).isFalse();
            assertThat(status.message()).isEmpty();
            assertThat(status.publishedNodeIds()).isEmpty();
        });
    }

    @Test
    void getAfterTheImageWasRemovedByHandIsAbnormal() throws Exception {
        Volume volume = small("v");
        Files.delete(image(volume));

        assertThat(provisioner.get(volume.id())).hasValueSatisfying(status -> {
            assertThat(status.abnormal()).isTrue();
            assertThat(status.message()).contains("image file is missing");
        });
    }

    @Test
    void getAfterTheDirectoryWasRemovedByHandIsAbnormal() throws Exception {
        Volume volume = provisioner.create(named("d").required(GiB).directory().build());
        Files.delete(directory(volume));

        assertThat(provisioner.get(volume.id())).hasValueSatisfying(status -> {
            assertThat(status.abnormal()).isTrue();
            assertThat(status.message()).contains("directory is missing");
        });
    }

    @Test
    void anImageReplacedByASymbolicLinkIsAbnormal() throws Exception {
        Volume volume = small("v");
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.img"), "x");
        Files.delete(image(volume));
        Files.createSymbolicLink(image(volume), elsewhere);

        assertThat(provisioner.get(volume.id())).hasValueSatisfying(status -> assertThat(status.abnormal()).isTrue());
    }

    @ParameterizedTest(name = "get of ''{0}'' is empty")
    @NullAndEmptySource
    @ValueSource(strings = {"l1.0123456789abcdef0123456789abcdef.node-1", OTHER_NODE_ID, "pvc-1",
            "l1.0123456789abcdef0123456789abcdef./../x"})
    void getOfAnUnknownMalformedOrForeignIdIsEmpty(String id) {
        small("v");

        assertThat(provisioner.get(id)).isEmpty();
    }

    @Test
    void getWithTheUuidOfOurVolumeButAnotherNodeIsEmpty() {
        Volume volume = small("v");
        String uuid = idOf(volume).uuid();

        assertThat(provisioner.get("l1." + uuid + ".other-node")).isEmpty();
    }

    // --- list ---------------------------------------------------------------------------------

    @Test
    void listPagesThroughEveryVolumeOnce() {
        List<String> created = smallVolumes(7);

        VolumePage first = provisioner.list(3, "");
        VolumePage second = provisioner.list(3, first.nextToken());
        VolumePage third = provisioner.list(3, second.nextToken());

        assertThat(first.volumes()).hasSize(3);
        assertThat(first.nextToken()).isNotEmpty();
        assertThat(second.volumes()).hasSize(3);
        assertThat(second.nextToken()).isNotEmpty().isNotEqualTo(first.nextToken());
        assertThat(third.volumes()).hasSize(1);
        assertThat(third.nextToken()).isEmpty();
        List<String> listed = Stream.of(first, second, third).flatMap(p -> p.volumes().stream())
                .map(s -> s.volume().id()).toList();
        assertThat(listed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    }

    @Test
    void aPageThatEndsExactlyAtTheLastVolumeHasNoToken() {
        for (int i = 0; i < 6; i++) {
            small("v" + i);
        }

        VolumePage first = provisioner.list(3, "");
        VolumePage second = provisioner.list(3, first.nextToken());

        assertThat(second.volumes()).hasSize(3);
        assertThat(second.nextToken()).isEmpty();
    }

    @Test
    void listWithMaxZeroReturnsEverything() {
        smallVolumes(7);

        VolumePage page = provisioner.list(0, "");

        assertThat(page.volumes()).hasSize(7);
        assertThat(page.nextToken()).isEmpty();
    }

    @Test
    void listOfNoVolumesIsAnEmptyLastPage() {
        VolumePage page = provisioner.list(3, "");

        assertThat(page.volumes()).isEmpty();
        assertThat(page.nextToken()).isEmpty();
    }

    @Test
    void listedVolumesCarryTheirStatus() throws Exception {
        Volume healthy = small("healthy");
        Volume broken = small("broken");
        Files.delete(image(broken));

        assertThat(provisioner.list(0, "").volumes())
                .extracting(s -> s.volume().id(), VolumeStatus::abnormal)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(healthy.id(), false),
                        org.assertj.core.groups.Tuple.tuple(broken.id(), true));
    }

    @ParameterizedTest(name = "[error] page token ''{0}''")
    @ValueSource(strings = {"zzz", "3", "0123456789ABCDEF0123456789ABCDEF", "l1.0123456789abcdef0123456789abcdef.node-1"})
    void aTokenWeDidNotIssueIsRefused(String token) {
        small("v");

        assertThatThrownBy(() -> provisioner.list(3, token))
                .isInstanceOf(InvalidPageToken.class)
                .hasMessageContaining("'" + token + "'")
                .hasMessageContaining("start the listing again");
    }

    @Test
    void aTokenNamingADeletedVolumeStillContinuesTheListing() {
        List<String> created = smallVolumes(7);
        VolumePage first = provisioner.list(3, "");
        Volume lastOfFirstPage = first.volumes().getLast().volume();

        provisioner.delete(lastOfFirstPage.id());
        VolumePage rest = provisioner.list(0, first.nextToken());

        List<String> seen = new ArrayList<>();
        first.volumes().forEach(s -> seen.add(s.volume().id()));
        rest.volumes().forEach(s -> seen.add(s.volume().id()));
        assertThat(rest.volumes()).hasSize(4);
        assertThat(rest.nextToken()).isEmpty();
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    }

    // --- unsupported --------------------------------------------------------------------------

    @Test
    void matchingCapabilitiesAreSupported() {
        Volume fs = small("fs");
        Volume raw = provisioner.create(named("raw").required(4 * MiB).capabilities(block()).build());

        assertThat(provisioner.unsupported(fs.id(), List.of(mount(""), mount("ext4"),
                mount("ext4", AccessMode.SINGLE_NODE_READER_ONLY)))).isEmpty();
        assertThat(provisioner.unsupported(raw.id(), List.of(block(), block(AccessMode.SINGLE_NODE_MULTI_WRITER))))
                .isEmpty();
        assertThat(provisioner.unsupported(fs.id(), List.of())).isEmpty();
    }

    static Stream<Arguments> mismatches() {
        return Stream.of(
                Arguments.of("multi-node mode", false, List.of(mount("", AccessMode.MULTI_NODE_MULTI_WRITER)),
                        "access mode MULTI_NODE_MULTI_WRITER is not supported"),
                Arguments.of("multi-node reader after a good one", false,
                        List.of(mount(""), mount("", AccessMode.MULTI_NODE_READER_ONLY)), "local volumes live on one node"),
                Arguments.of("block on a filesystem volume", false, List.of(block()), "is a filesystem volume"),
                Arguments.of("mount on a block volume", true, List.of(mount("")), "is a raw block volume"),
                Arguments.of("other fsType", false, List.of(mount("xfs")), "has a ext4 filesystem, not xfs"));
    }

    @ParameterizedTest(name = "[unsupported] {0}")
    @MethodSource("mismatches")
    void mismatchingCapabilitiesAreReported(String what, boolean blockVolume, List<VolumeCapability> wanted, String reason) {
        Volume volume = provisioner.create(named("v").required(4 * MiB)
                .capabilities(blockVolume ? block() : mount("")).build());

        assertThat(provisioner.unsupported(volume.id(), wanted)).hasValueSatisfying(r -> assertThat(r).contains(reason));
    }

    @ParameterizedTest(name = "[error] unsupported() of ''{0}''")
    @ValueSource(strings = {"l1.0123456789abcdef0123456789abcdef.node-1", OTHER_NODE_ID, "garbage"})
    void unsupportedOfAnUnknownVolumeIsNotFound(String id) {
        assertThatThrownBy(() -> provisioner.unsupported(id, List.of(mount(""))))
                .isInstanceOf(VolumeNotFound.class)
                .hasMessageContaining(id)
                .hasMessageContaining("does not exist");
    }

    // --- capacity -----------------------------------------------------------------------------

    private static CapacityQuery query(Map<String, String> parameters, Map<String, String> segment) {
        return new CapacityQuery(parameters, List.of(mount("")), segment);
    }

    @Test
    void noCapacityIsReportedForAnotherNodesSegment() {
        assertThat(provisioner.capacity(query(Map.of(), nodeSegment("other-node"))))
                .isEqualTo(new CapacityReport(0, 0, 0));
        assertThat(provisioner.capacity(query(Map.of(), Map.of("zone", "a"))))
                .isEqualTo(new CapacityReport(0, 0, 0));
    }

    @Test
    void capacityIsReportedForOurSegmentAndForAnywhere() {
        for (Map<String, String> segment : List.of(nodeSegment(NODE), Map.<String, String>of())) {
            CapacityReport report = provisioner.capacity(query(Map.of(), segment));

            assertThat(report.availableBytes()).isPositive();
            assertThat(report.maximumVolumeSize()).isPositive().isLessThanOrEqualTo(report.availableBytes());
            assertThat(report.minimumVolumeSize()).isZero();
        }
    }

    @Test
    void theLargestVolumeIsCappedByMaxVolumeBytes() throws Exception {
        VolumeProvisioner capped = Specs.open(dir.resolve("capped"), 100 * MiB);

        assertThat(capped.capacity(query(Map.of(), Map.of())).maximumVolumeSize()).isEqualTo(100 * MiB);
    }

    @Test
    void capacityRefusesUnknownParameters() {
        assertThatThrownBy(() -> provisioner.capacity(query(Map.of("speed", "fast"), Map.of())))
                .isInstanceOf(InvalidParameter.class)
                .hasMessageContaining("unknown parameter 'speed'");
    }

    /** What the capacity report holds back beyond the filesystem's own free space, measured back to back. */
    private long heldBack(Map<String, String> parameters) throws Exception {
        long reported = provisioner.capacity(query(parameters, Map.of())).availableBytes();
        long free = StatFs.of(dir).availableBytes();
        return free - reported;
    }

    @Test
    void availableCapacityShrinksByWhatANewVolumeReserves() throws Exception {
        long slack = 16 * MiB; // other processes may write to the same filesystem meanwhile
        assertThat(heldBack(Map.of())).isBetween(-slack, slack);

        Volume volume = provisioner.create(named("v").required(4 * GiB).build());

        assertThat(heldBack(Map.of())).isBetween(4 * GiB - slack, 4 * GiB + slack);
        assertThat(heldBack(Map.of("overcommit", "true"))).as("over-committing classes ignore promises")
                .isBetween(-slack, slack);
        assertThat(heldBack(Map.of("type", "directory", "enforceCapacity", "false"))).isBetween(-slack, slack);

        provisioner.delete(volume.id());
        assertThat(heldBack(Map.of())).isBetween(-slack, slack);
    }

    @Test
    void overcommittedAndDirectoryVolumesReserveNothing() throws Exception {
        long slack = 16 * MiB;

        provisioner.create(named("o").required(4 * GiB).overcommit().build());
        provisioner.create(named("d").required(4 * GiB).directory().build());

        assertThat(heldBack(Map.of())).isBetween(-slack, slack);
    }
}
