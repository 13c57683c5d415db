package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import static io.csi4j.backend.local.provision.Specs.GiB;
import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.NODE;
import static io.csi4j.backend.local.provision.Specs.block;
import static io.csi4j.backend.local.provision.Specs.mount;
import static io.csi4j.backend.local.provision.Specs.named;
import static io.csi4j.backend.local.provision.Specs.nodeSegment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.csi4j.spi.AccessMode;
import io.csi4j.spi.BackendException;
import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Topology;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalProvisionerCreateTest extends ProvisionerFixture {

    // --- image volumes ----------------------------------------------------------------------

    @Test
    void createImageVolumeWritesARecordAndASparseImageOfTheCapacity() throws Exception {
        Volume volume = provisioner.create(named("pvc-1").required(64 * MiB).build());

        LocalVolumeId id = idOf(volume);
        assertThat(id.node()).isEqualTo(NODE);
        assertThat(record(volume)).isRegularFile();
        Path image = image(volume);
        assertThat(image).isRegularFile();
        assertThat(Files.size(image)).isEqualTo(64 * MiB).isEqualTo(volume.capacityBytes());
        assertThat(Specs.allocatedBytes(image)).as("blocks allocated to a sparse image").isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void aVolumeWhoseFirstFormatDidNotFinishIsRefusedAsACloneSource() {
        Volume source = provisioner.create(named("pvc-torn").required(16 * MiB).build());
        ((LocalProvisioner) provisioner).formatting(idOf(source).uuid(), true); // a crash inside mkfs

        assertThatThrownBy(() -> provisioner.create(named("pvc-clone").required(16 * MiB)
                .source(new VolumeSource.FromVolume(source.id())).build()))
                .isInstanceOf(io.csi4j.spi.FailedPrecondition.class)
                .hasMessageContaining("its first format did not finish; stage it once first");
    }

    @Test
    void theRecordOnDiskDescribesTheVolume() throws Exception {
        Volume volume = provisioner.create(named("pvc-1").required(64 * MiB)
                .param("csi.storage.k8s.io/pvc/name", "data").build());

        List<VolumeRecord> records = RecordStore.volumes(dir.resolve("records")).loadAll();

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(idOf(volume));
            assertThat(r.name()).isEqualTo("pvc-1");
            assertThat(r.state()).isEqualTo(VolumeRecord.READY);
            assertThat(r.type()).isEqualTo(VolumeType.IMAGE);
            assertThat(r.capacityBytes()).isEqualTo(64 * MiB);
            assertThat(r.reservedBytes()).isEqualTo(64 * MiB);
            assertThat(r.block()).isFalse();
            assertThat(r.fsType()).isEqualTo("ext4");
            assertThat(r.capacityEnforced()).isTrue();
            assertThat(r.parameters()).containsExactly(entry("csi.storage.k8s.io/pvc/name", "data"));
        });
    }

    @Test
    void aLargeImageCostsNoSpace() throws Exception {
        Volume volume = provisioner.create(named("big").required(20 * GiB).overcommit().build());

        Path image = image(volume);
        assertThat(Files.size(image)).isEqualTo(20 * GiB);
        assertThat(Specs.allocatedBytes(image)).isLessThanOrEqualTo(64 * 1024);
    }

    @Test
    void capacityIsRoundedUpToTheFilesystemBlockSize() throws Exception {
        long block = Specs.blockSize(dir);

        Volume volume = provisioner.create(named("odd").required(10 * MiB + 1).build());

        assertThat(volume.capacityBytes()).isEqualTo(10 * MiB + block);
        assertThat(volume.capacityBytes() % block).isZero();
        assertThat(Files.size(image(volume))).isEqualTo(volume.capacityBytes());
    }

    @Test
    void aRequiredSizeOfOneByteGetsOneBlock() throws Exception {
        assertThat(provisioner.create(named("tiny").capacity(1, 0).build()).capacityBytes())
                .isEqualTo(Specs.blockSize(dir));
    }

    @Test
    void withoutARangeTheVolumeGetsOneGibibyte() {
        assertThat(named("default").build().capacity().hasRequired()).isFalse();
        assertThat(provisioner.create(named("default").build()).capacityBytes()).isEqualTo(GiB);
    }

    @Test
    void aLimitBelowTheDefaultSizeIsUsedAsTheSize() {
        assertThat(provisioner.create(named("limited").capacity(0, 256 * MiB).build()).capacityBytes())
                .isEqualTo(256 * MiB);
    }

    @Test
    void aLimitAboveTheDefaultSizeGivesTheDefault() {
        assertThat(provisioner.create(named("roomy").capacity(0, 8 * GiB).build()).capacityBytes()).isEqualTo(GiB);
    }

    @Test
    void aRequiredSizeEqualToTheLimitIsGiven() {
        assertThat(provisioner.create(named("exact").capacity(128 * MiB, 128 * MiB).build()).capacityBytes())
                .isEqualTo(128 * MiB);
    }

    @Test
    void aBlockVolumeHasNoFilesystem() {
        Volume volume = provisioner.create(named("raw").required(16 * MiB).capabilities(block()).build());

        assertThat(volume.context()).containsOnly(entry("type", "image"), entry("access", "block"),
                entry("capacityEnforced", "true"));
    }

    @Test
    void aMountVolumeDefaultsToExt4() {
        Volume volume = provisioner.create(named("fs").required(16 * MiB).build());

        assertThat(volume.context()).containsOnly(entry("type", "image"), entry("access", "mount"),
                entry("fsType", "ext4"), entry("capacityEnforced", "true"));
    }

    @Test
    void severalCompatibleCapabilitiesAreServedTogether() {
        Volume volume = provisioner.create(named("fs").required(16 * MiB)
                .capabilities(mount(""), mount("ext4", AccessMode.SINGLE_NODE_READER_ONLY),
                        mount("", AccessMode.SINGLE_NODE_MULTI_WRITER))
                .build());

        assertThat(volume.context()).containsEntry("fsType", "ext4");
    }

    @Test
    void theVolumeIsAccessibleFromThisNodeOnly() {
        Volume volume = provisioner.create(named("pvc-1").required(16 * MiB).build());

        assertThat(volume.accessibleTopology()).containsExactly(Map.of("topology.csi4j.io/node", NODE));
    }

    @Test
    void xfsRequestsBelow300MiBAreRaisedTo300MiB() throws Exception {
        assumeTrue(Specs.xfsToolsInstalled(), "mkfs.xfs is not installed, so xfs volumes are refused outright");

        Volume volume = provisioner.create(named("x").required(10 * MiB).capabilities(mount("xfs")).build());

        assertThat(volume.capacityBytes()).isEqualTo(LocalProvisioner.XFS_MINIMUM).isEqualTo(300 * MiB);
        assertThat(volume.context()).containsEntry("fsType", "xfs");
        assertThat(Files.size(image(volume))).isEqualTo(300 * MiB);
    }

    @Test
    void xfsBelow300MiBIsOutOfRangeWhenTheLimitForbidsIt() {
        assumeTrue(Specs.xfsToolsInstalled(), "mkfs.xfs is not installed, so xfs volumes are refused outright");

        assertThatThrownBy(() -> provisioner.create(named("x").capacity(10 * MiB, 200 * MiB)
                .capabilities(mount("xfs")).build()))
                .isInstanceOf(CapacityOutOfRange.class)
                .hasMessageContaining("xfs needs 300 MiB")
                .hasMessageContaining("limit of " + 200 * MiB);
    }

    @Test
    void aRawBlockVolumeIsNotRaisedToTheXfsMinimum() {
        assertThat(provisioner.create(named("raw").required(10 * MiB).capabilities(block()).build()).capacityBytes())
                .isEqualTo(10 * MiB);
    }

    // --- directory volumes --------------------------------------------------------------------

    @Test
    void aDirectoryVolumeWithUnenforcedCapacityIsAWorldWritableDirectory() throws Exception {
        Volume volume = provisioner.create(named("shared").required(5 * GiB).directory().build());

        Path data = directory(volume);
        assertThat(data).isDirectory().isEmptyDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxrwxrwx");
        assertThat(volume.capacityBytes()).isEqualTo(5 * GiB);
        assertThat(volume.context()).contains(entry("type", "directory"), entry("access", "mount"),
                entry("capacityEnforced", "false"));
        assertThat(volume.context().getOrDefault("fsType", "")).as("no filesystem is made").isEmpty();
        assertThat(volume.accessibleTopology()).containsExactly(nodeSegment(NODE));
    }

    @Test
    void aDirectoryVolumeReservesNothing() throws Exception {
        provisioner.create(named("shared").required(5 * GiB).directory().build());

        assertThat(RecordStore.volumes(dir.resolve("records")).loadAll())
                .singleElement().satisfies(r -> {
                    assertThat(r.reservedBytes()).isZero();
                    assertThat(r.capacityEnforced()).isFalse();
                    assertThat(r.fsType()).isEmpty();
                });
    }

    // --- idempotency --------------------------------------------------------------------------

    @Test
    void createTwiceWithTheSameNameReturnsTheSameVolume() throws Exception {
        Volume first = provisioner.create(named("pvc-1").required(64 * MiB).build());
        Volume second = provisioner.create(named("pvc-1").required(64 * MiB).build());

        assertThat(second).isEqualTo(first);
        try (Stream<Path> images = Files.list(dir.resolve("volumes"))) {
            assertThat(images).hasSize(1);
        }
        assertThat(((LocalProvisioner) provisioner).count()).isEqualTo(1);
    }

    @Test
    void createAgainWithACompatibleRangeReturnsTheSameVolume() {
        Volume first = provisioner.create(named("pvc-1").required(64 * MiB).build());

        assertThat(provisioner.create(named("pvc-1").build())).isEqualTo(first);
        assertThat(provisioner.create(named("pvc-1").capacity(32 * MiB, 128 * MiB).build())).isEqualTo(first);
        assertThat(provisioner.create(named("pvc-1").capacity(64 * MiB, 64 * MiB).capabilities(mount("ext4")).build()))
                .isEqualTo(first);
    }

    @Test
    void createAgainWithTheTopologyOfThisNodeReturnsTheSameVolume() {
        Volume first = provisioner.create(named("pvc-1").required(64 * MiB).build());

        assertThat(provisioner.create(named("pvc-1").required(64 * MiB)
                .topology(new Topology(List.of(nodeSegment(NODE)), List.of())).build())).isEqualTo(first);
    }

    @Test
    void createAgainOfADirectoryVolumeReturnsTheSameVolume() {
        Volume first = provisioner.create(named("d").required(GiB).directory().build());

        assertThat(provisioner.create(named("d").required(GiB).directory().build())).isEqualTo(first);
    }

    static Stream<Arguments> conflicts() {
        return Stream.of(
                Arguments.of("other type", named("pvc-1").required(64 * MiB).directory(), "exists with type image"),
                Arguments.of("block instead of mount", named("pvc-1").required(64 * MiB).capabilities(block()),
                        "exists as a ext4 filesystem"),
                Arguments.of("other fsType", named("pvc-1").required(64 * MiB).capabilities(mount("xfs")),
                        "exists as a ext4 filesystem"),
                Arguments.of("capacity above the new limit", named("pvc-1").capacity(0, 32 * MiB),
                        "exists with " + 64 * MiB + " bytes, outside the requested range"),
                Arguments.of("capacity below the new required size", named("pvc-1").required(128 * MiB),
                        "outside the requested range"),
                Arguments.of("topology excluding this node", named("pvc-1").required(64 * MiB)
                        .topology(new Topology(List.of(nodeSegment("node-2")), List.of())), "requested topology excludes"));
    }

    @ParameterizedTest(name = "[error] same name, {0}")
    @MethodSource("conflicts")
    void createAgainWithOtherPropertiesIsRefused(String what, Specs.Builder again, String message) {
        assumeTrue(!what.equals("other fsType") || Specs.xfsToolsInstalled(), "mkfs.xfs is not installed");
        provisioner.create(named("pvc-1").required(64 * MiB).build());

        assertThatThrownBy(() -> provisioner.create(again.build()))
                .isInstanceOf(VolumeAlreadyExists.class)
                .hasMessageContaining("pvc-1")
                .hasMessageContaining(message);
    }

    @Test
    void aBlockVolumeCannotBeAskedForAgainAsAFilesystem() {
        provisioner.create(named("raw").required(64 * MiB).capabilities(block()).build());

        assertThatThrownBy(() -> provisioner.create(named("raw").required(64 * MiB).build()))
                .isInstanceOf(VolumeAlreadyExists.class)
                .hasMessageContaining("exists as a block volume");
    }

    // --- refused requests ---------------------------------------------------------------------

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("empty name", named(""), InvalidParameter.class, "name is required"),
                Arguments.of("no capabilities", named("v").capabilities(), InvalidParameter.class,
                        "at least one volume capability"),
                Arguments.of("unknown parameter", named("v").param("size", "1Gi"), InvalidParameter.class,
                        "unknown parameter 'size'"),
                Arguments.of("parameter with a wrong case", named("v").param("Type", "image"), InvalidParameter.class,
                        "unknown parameter 'Type'"),
                Arguments.of("bad overcommit value", named("v").param("overcommit", "yes"), InvalidParameter.class,
                        "overcommit must be \"true\" or \"false\", not 'yes'"),
                Arguments.of("bad enforceCapacity value", named("v").param("enforceCapacity", "TRUE"),
                        InvalidParameter.class, "enforceCapacity must be \"true\" or \"false\""),
                Arguments.of("unknown type", named("v").param("type", "lvm"), InvalidParameter.class,
                        "unknown volume type 'lvm'"),
                Arguments.of("mode MULTI_NODE_READER_ONLY", named("v").capabilities(mount("", AccessMode.MULTI_NODE_READER_ONLY)),
                        InvalidParameter.class, "MULTI_NODE_READER_ONLY"),
                Arguments.of("mode MULTI_NODE_SINGLE_WRITER", named("v").capabilities(block(AccessMode.MULTI_NODE_SINGLE_WRITER)),
                        InvalidParameter.class, "MULTI_NODE_SINGLE_WRITER"),
                Arguments.of("mode MULTI_NODE_MULTI_WRITER among single-node ones",
                        named("v").capabilities(mount(""), mount("", AccessMode.MULTI_NODE_MULTI_WRITER)),
                        InvalidParameter.class, "local volumes live on one node"),
                Arguments.of("block and mount together", named("v").capabilities(block(), mount("")),
                        InvalidParameter.class, "either a raw block device or a filesystem"),
                Arguments.of("conflicting filesystem types", named("v").capabilities(mount("ext4"), mount("xfs")),
                        InvalidParameter.class, "conflicting filesystem types ext4 and xfs"),
                Arguments.of("block on a directory volume", named("v").directory().capabilities(block()),
                        InvalidParameter.class, "directory volumes give filesystem access only"),
                Arguments.of("fsType on a directory volume", named("v").directory().capabilities(mount("ext4")),
                        InvalidParameter.class, "fsType ext4 cannot be given"),
                Arguments.of("fsType btrfs", named("v").capabilities(mount("btrfs")), InvalidParameter.class,
                        "'btrfs' is not supported"),
                Arguments.of("unknown fsType", named("v").capabilities(mount("zfs-ish")), InvalidParameter.class,
                        "'zfs-ish' is not supported"),
                Arguments.of("directory volume with enforceCapacity by default", named("v").param("type", "directory"),
                        InvalidParameter.class, "cannot be enforced"),
                Arguments.of("directory volume with enforceCapacity true",
                        named("v").param("type", "directory").param("enforceCapacity", "true"),
                        InvalidParameter.class, "enforceCapacity: \"false\""),
                Arguments.of("unknown snapshot as source", named("v").source(new VolumeSource.FromSnapshot("snap-1")),
                        io.csi4j.spi.SnapshotNotFound.class, "snapshot snap-1 does not exist"),
                Arguments.of("unknown volume as source", named("v").source(new VolumeSource.FromVolume("l1.x.node-1")),
                        io.csi4j.spi.VolumeNotFound.class, "volume l1.x.node-1 does not exist"),
                Arguments.of("limit below the required size", named("v").capacity(2 * GiB, GiB),
                        CapacityOutOfRange.class, "limit " + GiB + " is below the required " + 2 * GiB),
                Arguments.of("limit below one block", named("v").capacity(0, 100), CapacityOutOfRange.class,
                        "exceeds the limit of 100 bytes"),
                Arguments.of("required size that rounds up past the limit",
                        named("v").capacity(10 * MiB + 1, 10 * MiB + 2), CapacityOutOfRange.class,
                        "in whole"),
                Arguments.of("requisite topology of another node",
                        named("v").topology(new Topology(List.of(nodeSegment("node-2")), List.of())),
                        CapacityExhausted.class, "excludes this node (node-1)"),
                Arguments.of("requisite topology with another key",
                        named("v").topology(new Topology(List.of(Map.of("zone", "a")), List.of())),
                        CapacityExhausted.class, "excludes this node"));
    }

    @ParameterizedTest(name = "[error] {0}")
    @MethodSource("invalid")
    void invalidRequestsAreRefused(String what, Specs.Builder spec, Class<? extends BackendException> type, String message)
            throws Exception {
        assertThatThrownBy(() -> provisioner.create(spec.build()))
                .isInstanceOf(type)
                .hasMessageContaining(message);
        assertThat(((LocalProvisioner) provisioner).count()).isZero();
        try (Stream<Path> left = Stream.concat(Files.list(dir.resolve("volumes")), Files.list(dir.resolve("records")))) {
            assertThat(left).as("nothing is left on disk").isEmpty();
        }
    }

    @Test
    void theDirectoryRefusalSaysWhyAndHowToProceed() {
        assertThatThrownBy(() -> provisioner.create(named("v").param("type", "directory").build()))
                .isInstanceOf(InvalidParameter.class)
                .hasMessageContaining("capacity of directory volumes cannot be enforced")
                .hasMessageContaining("prjquota")
                .hasMessageContaining("enforceCapacity")
                .hasMessageContaining("type: image");
    }

    @ParameterizedTest(name = "sidecar parameter {0} is accepted")
    @ValueSource(strings = {"csi.storage.k8s.io/pvc/name", "csi.storage.k8s.io/pvc/namespace",
            "csi.storage.k8s.io/pv/name"})
    void theParametersKubernetesSidecarsAddAreAccepted(String key) {
        Volume volume = provisioner.create(named("v").required(16 * MiB).param(key, "x").build());

        assertThat(volume.capacityBytes()).isEqualTo(16 * MiB);
    }

    @Test
    void allParametersTogetherAreAccepted() {
        Volume volume = provisioner.create(named("v").required(16 * MiB).param("type", "image")
                .param("overcommit", "false").param("enforceCapacity", "true").build());

        assertThat(volume.context()).containsEntry("type", "image");
    }

    @Test
    void aRequiredSizeBeyondTheLargestVolumeIsOutOfRange() throws Exception {
        VolumeProvisioner small = Specs.open(dir.resolve("small"), 100 * MiB);

        assertThatThrownBy(() -> small.create(named("v").required(101 * MiB).build()))
                .isInstanceOf(CapacityOutOfRange.class)
                .hasMessageContaining("largest volume this node offers (" + 100 * MiB + " bytes)");
        assertThat(small.create(named("w").required(100 * MiB).build()).capacityBytes()).isEqualTo(100 * MiB);
    }

    @Test
    void theDefaultSizeBeyondTheLargestVolumeIsOutOfRange() throws Exception {
        VolumeProvisioner small = Specs.open(dir.resolve("small"), 100 * MiB);

        assertThatThrownBy(() -> small.create(named("v").build()))
                .isInstanceOf(CapacityOutOfRange.class)
                .hasMessageContaining("largest volume");
    }

    // --- topology -----------------------------------------------------------------------------

    @Test
    void aRequisiteTopologyThatIncludesThisNodeIsServed() {
        Topology topology = new Topology(List.of(nodeSegment("node-0"), nodeSegment(NODE)), List.of(nodeSegment("node-0")));

        Volume volume = provisioner.create(named("v").required(16 * MiB).topology(topology).build());

        assertThat(volume.accessibleTopology()).containsExactly(nodeSegment(NODE));
    }

    @Test
    void aPreferredOnlyTopologyIsServedEvenWhenItNamesAnotherNode() {
        Topology topology = new Topology(List.of(), List.of(nodeSegment("node-2")));

        Volume volume = provisioner.create(named("v").required(16 * MiB).topology(topology).build());

        assertThat(volume.accessibleTopology()).containsExactly(nodeSegment(NODE));
    }

    // --- room ---------------------------------------------------------------------------------

    @Test
    void aVolumeLargerThanTheFreeSpaceIsRefusedUnlessOvercommitted() throws Exception {
        VolumeProvisioner unbounded = Specs.open(dir.resolve("room"), Long.MAX_VALUE / 4);
        long tooMuch = Specs.availableBytes(dir) + GiB;

        assertThatThrownBy(() -> unbounded.create(named("huge").required(tooMuch).build()))
                .isInstanceOf(CapacityExhausted.class)
                .hasMessageContaining("not enough room for")
                .hasMessageContaining("not promised to other volumes");

        Volume huge = unbounded.create(named("huge").required(tooMuch).overcommit().build());
        Path image = dir.resolve("room/volumes").resolve(idOf(huge).uuid() + ".img");
        assertThat(Files.size(image)).isGreaterThanOrEqualTo(tooMuch);
        assertThat(Specs.allocatedBytes(image)).isLessThanOrEqualTo(64 * 1024);

        unbounded.delete(huge.id());
        assertThat(image).doesNotExist();
    }

    @Test
    void promisesToEarlierVolumesCountAgainstTheRoom() throws Exception {
        VolumeProvisioner unbounded = Specs.open(dir.resolve("room"), Long.MAX_VALUE / 4);
        long available = Specs.availableBytes(dir);
        long share = available / 10 * 6;

        Volume first = unbounded.create(named("first").required(share).build());
        assertThatThrownBy(() -> unbounded.create(named("second").required(share).build()))
                .isInstanceOf(CapacityExhausted.class);
        Volume overcommitted = unbounded.create(named("second").required(share).overcommit().build());

        unbounded.delete(first.id());
        unbounded.delete(overcommitted.id());
        Volume again = unbounded.create(named("third").required(share).build());
        unbounded.delete(again.id());
    }
}
