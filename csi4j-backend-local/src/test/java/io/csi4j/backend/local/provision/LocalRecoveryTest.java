package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.LocalBackend;
import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import static io.csi4j.backend.local.provision.Specs.GiB;
import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.NODE;
import static io.csi4j.backend.local.provision.Specs.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeStatus;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRecoveryTest {

    private static final String ORPHAN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private Path records() {
        return dir.resolve("records");
    }

    private Path volumes() {
        return dir.resolve("volumes");
    }

    private static String uuid(Volume volume) {
        return LocalVolumeId.parse(volume.id()).orElseThrow().uuid();
    }

    private VolumeRecord recordOf(Volume volume) throws Exception {
        return RecordStore.volumes(records()).loadAll().stream()
                .filter(r -> r.id().toString().equals(volume.id())).findFirst().orElseThrow();
    }

    private static List<String> ids(VolumeProvisioner provisioner) {
        return provisioner.list(0, "").volumes().stream().map(VolumeStatus::volume).map(Volume::id).toList();
    }

    @Test
    void openLaysOutTheDataDirectory() throws Exception {
        Path data = dir.resolve("a/b/data");

        LocalBackend backend = LocalBackend.open(data, NODE, 0);

        assertThat(data.resolve("records")).isDirectory();
        assertThat(data.resolve("volumes")).isDirectory();
        assertThat(backend.dataDir()).isEqualTo(data);
        assertThat(backend.name()).isEqualTo("local");
    }

    @Test
    void openNormalisesTheDataDirectory() throws Exception {
        Files.createDirectories(dir.resolve("x"));

        assertThat(LocalBackend.open(dir.resolve("x/../data"), NODE, 0).dataDir()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void aSecondBackendOnTheSameDirectorySeesTheSameVolumes() throws Exception {
        VolumeProvisioner first = Specs.open(dir);
        Volume image = first.create(named("image").required(8 * MiB).build());
        Volume raw = first.create(named("raw").required(8 * MiB).capabilities(Specs.block()).build());
        Volume directory = first.create(named("directory").required(GiB).directory().build());

        VolumeProvisioner second = Specs.open(dir);

        assertThat(ids(second)).containsExactlyInAnyOrder(image.id(), raw.id(), directory.id());
        assertThat(second.get(image.id())).hasValueSatisfying(s -> {
            assertThat(s.volume()).isEqualTo(image);
            assertThat(s.abnormal()).isFalse();
        });
        assertThat(second.get(raw.id()).orElseThrow().volume()).isEqualTo(raw);
        assertThat(second.get(directory.id()).orElseThrow().volume()).isEqualTo(directory);
        assertThat(second.create(named("image").required(8 * MiB).build())).as("idempotent after restart").isEqualTo(image);
        assertThat(Files.size(volumes().resolve(uuid(image) + ".img"))).isEqualTo(8 * MiB);
    }

    @Test
    void reservationsAreRestoredAfterARestart() throws Exception {
        VolumeProvisioner first = Specs.open(dir);
        first.create(named("image").required(4 * GiB).build());
        CapacityQuery anywhere = new CapacityQuery(Map.of(), List.of(Specs.mount("")), Map.of());

        VolumeProvisioner second = Specs.open(dir);
        long reported = second.capacity(anywhere).availableBytes();
        long free = Specs.availableBytes(dir);

        assertThat(free - reported).isBetween(4 * GiB - 16 * MiB, 4 * GiB + 16 * MiB);
    }

    @Test
    void aVolumeLeftCreatingIsRemovedAtOpen() throws Exception {
        Volume volume = Specs.open(dir).create(named("half").required(8 * MiB).build());
        RecordStore.volumes(records()).save(recordOf(volume).withState(VolumeRecord.CREATING));

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(reopened.get(volume.id())).isEmpty();
        assertThat(ids(reopened)).isEmpty();
        assertThat(volumes().resolve(uuid(volume) + ".img")).doesNotExist();
        assertThat(records().resolve(uuid(volume) + ".volume")).doesNotExist();
        Volume retried = reopened.create(named("half").required(8 * MiB).build());
        assertThat(retried.id()).isNotEqualTo(volume.id());
    }

    @Test
    void aCreatingRecordWhoseDataWasNeverMadeIsRemovedAtOpen() throws Exception {
        VolumeRecord record = new VolumeRecord(LocalVolumeId.random(NODE), "early", VolumeRecord.CREATING,
                VolumeType.DIRECTORY, GiB, false, "", 0, false, 0, Map.of());
        Specs.open(dir);
        RecordStore.volumes(records()).save(record);

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(ids(reopened)).isEmpty();
        assertThat(records().resolve(record.id().uuid() + ".volume")).doesNotExist();
    }

    @Test
    void aVolumeLeftDeletingIsFinishedAtOpen() throws Exception {
        VolumeProvisioner first = Specs.open(dir);
        Volume image = first.create(named("image").required(8 * MiB).build());
        Volume directory = first.create(named("directory").required(GiB).directory().build());
        Files.writeString(volumes().resolve(uuid(directory)).resolve("data"), "x");
        RecordStore.volumes(records()).save(recordOf(image).withState(VolumeRecord.DELETING));
        RecordStore.volumes(records()).save(recordOf(directory).withState(VolumeRecord.DELETING));

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(ids(reopened)).isEmpty();
        assertThat(volumes().resolve(uuid(image) + ".img")).doesNotExist();
        assertThat(volumes().resolve(uuid(directory))).doesNotExist();
        try (var left = Files.list(records())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void orphanedVolumeDataIsRemovedAtOpen() throws Exception {
        VolumeProvisioner first = Specs.open(dir);
        Volume kept = first.create(named("kept").required(8 * MiB).build());
        Files.writeString(volumes().resolve(ORPHAN + ".img"), "orphan");
        Files.createDirectories(volumes().resolve("fedcba9876543210fedcba9876543210/sub"));
        Files.writeString(volumes().resolve("fedcba9876543210fedcba9876543210/sub/f"), "orphan");

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(volumes().resolve(ORPHAN + ".img")).doesNotExist();
        assertThat(volumes().resolve("fedcba9876543210fedcba9876543210")).doesNotExist();
        assertThat(volumes().resolve(uuid(kept) + ".img")).exists();
        assertThat(ids(reopened)).containsExactly(kept.id());
    }

    @Test
    void volumeDataIsKeptWhenNoRecordIsLeftAtAll() throws Exception {
        VolumeProvisioner first = Specs.open(dir);
        Volume volume = first.create(named("hidden").required(8 * MiB).build());
        Files.delete(records().resolve(uuid(volume) + ".volume")); // as if a mount hid records/

        Specs.open(dir);

        assertThat(volumes().resolve(uuid(volume) + ".img")).as("not taken for an orphan").exists();
    }

    @Test
    void filesThatAreNotOursAreLeftAlone() throws Exception {
        Specs.open(dir);
        Files.writeString(volumes().resolve("keep.txt"), "mine");
        Files.createDirectories(volumes().resolve("lost+found"));
        Files.writeString(volumes().resolve(ORPHAN + ".img.bak"), "mine");
        Files.writeString(volumes().resolve(ORPHAN.toUpperCase() + ".img"), "mine");
        Files.writeString(records().resolve("README"), "mine");

        Specs.open(dir);

        assertThat(volumes().resolve("keep.txt")).hasContent("mine");
        assertThat(volumes().resolve("lost+found")).isDirectory();
        assertThat(volumes().resolve(ORPHAN + ".img.bak")).exists();
        assertThat(volumes().resolve(ORPHAN.toUpperCase() + ".img")).exists();
        assertThat(records().resolve("README")).exists();
    }

    @Test
    void aLeftoverTemporaryRecordIsRemovedAtOpen() throws Exception {
        VolumeProvisioner first = Specs.open(dir);
        Volume kept = first.create(named("kept").required(8 * MiB).build());
        Path leftover = records().resolve(uuid(kept) + ".volume.tmp-123");
        Files.writeString(leftover, "format=1\nstate=half");

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(leftover).doesNotExist();
        assertThat(ids(reopened)).containsExactly(kept.id());
    }

    @Test
    void anUnreadableRecordIsIgnoredAndTheOthersLoad() throws Exception {
        VolumeProvisioner first = Specs.open(dir);
        Volume kept = first.create(named("kept").required(8 * MiB).build());
        Files.writeString(records().resolve(ORPHAN + ".volume"), "format=1\nid=l1.broken\n");
        Files.createDirectory(records().resolve("fedcba9876543210fedcba9876543210.volume")); // read(2) fails

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(ids(reopened)).containsExactly(kept.id());
        assertThat(reopened.get(kept.id()).orElseThrow().abnormal()).isFalse();
    }

    @Test
    void theDataOfAnUnreadableRecordIsKept() throws Exception {
        Volume volume = Specs.open(dir).create(named("precious").required(8 * MiB).build());
        Path record = records().resolve(uuid(volume) + ".volume");
        Files.writeString(record, Files.readString(record).replace("format=1", "format=2")); // e.g. from a newer driver

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(ids(reopened)).isEmpty();
        assertThat(volumes().resolve(uuid(volume) + ".img")).as("data whose record we cannot read").exists();
        assertThat(record).exists();
    }

    @Test
    void aRecordOfAnotherNodeIsLeftAloneWithItsData() throws Exception {
        Specs.open(dir);
        VolumeRecord foreign = new VolumeRecord(LocalVolumeId.random("other-node"), "theirs", VolumeRecord.READY,
                VolumeType.IMAGE, 8 * MiB, false, "ext4", 8 * MiB, true, 0, Map.of());
        RecordStore.volumes(records()).save(foreign);
        Path image = volumes().resolve(foreign.id().uuid() + ".img");
        Files.writeString(image, "theirs");

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(ids(reopened)).isEmpty();
        assertThat(reopened.get(foreign.id().toString())).isEmpty();
        assertThat(records().resolve(foreign.id().uuid() + ".volume")).exists();
        assertThat(image).hasContent("theirs");
    }

    @Test
    void aRecordInAnUnknownStateIsLeftAloneWithItsData() throws Exception {
        Volume volume = Specs.open(dir).create(named("odd").required(8 * MiB).build());
        RecordStore.volumes(records()).save(recordOf(volume).withState("resizing"));

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(ids(reopened)).isEmpty();
        assertThat(records().resolve(uuid(volume) + ".volume")).exists();
        assertThat(volumes().resolve(uuid(volume) + ".img")).exists();
    }

    /**
     * Thick volumes that fill up count twice (used and promised), so promises can exceed the free
     * space; volumes that promise nothing must still be made then, as the capacity report says.
     */
    @Test
    void whenPromisesExceedTheFreeSpaceVolumesThatPromiseNothingAreStillMade() throws Exception {
        Specs.open(dir);
        long promised = Specs.availableBytes(dir) + 10 * GiB;
        VolumeRecord full = new VolumeRecord(LocalVolumeId.random(NODE), "full", VolumeRecord.READY,
                VolumeType.IMAGE, promised, false, "ext4", promised, true, 0, Map.of());
        RecordStore.volumes(records()).save(full);
        try (RandomAccessFile image = new RandomAccessFile(volumes().resolve(full.id().uuid() + ".img").toFile(), "rw")) {
            image.setLength(promised);
        }
        VolumeProvisioner reopened = Specs.open(dir);
        CapacityQuery thick = new CapacityQuery(Map.of(), List.of(Specs.mount("")), Map.of());
        CapacityQuery thin = new CapacityQuery(Map.of("overcommit", "true"), List.of(Specs.mount("")), Map.of());

        assertThat(reopened.capacity(thick).availableBytes()).isZero();
        assertThat(reopened.capacity(thin).availableBytes()).isPositive();
        assertThatThrownBy(() -> reopened.create(named("thick").required(8 * MiB).build()))
                .isInstanceOf(CapacityExhausted.class)
                .hasMessageContaining("0 bytes are free");
        assertThat(reopened.create(named("thin").required(8 * MiB).overcommit().build()).capacityBytes()).isEqualTo(8 * MiB);
        assertThat(reopened.create(named("dir").required(8 * MiB).directory().build()).capacityBytes()).isEqualTo(8 * MiB);
    }
}
