package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.RecordStore;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalVolumeId;

import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile or unlucky input that once got a wrong answer or broke later calls. */
class LocalProvisionerHardeningTest {

    @TempDir
    Path dir;

    @Test
    void aHugeSizeIsOutOfRangeAndLeavesTheRoomAccountingIntact() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);
        long before = provisioner.capacity(new CapacityQuery(Map.of(), List.of(), Map.of())).availableBytes();

        assertThatThrownBy(() -> provisioner.create(named("huge").required(Long.MAX_VALUE).build()))
                .isInstanceOf(CapacityOutOfRange.class)
                .hasMessageContaining("exceed the largest volume");

        Volume small = provisioner.create(named("small").required(16 * MiB).build());
        assertThat(small.capacityBytes()).isEqualTo(16 * MiB);
        long after = provisioner.capacity(new CapacityQuery(Map.of(), List.of(), Map.of())).availableBytes();
        assertThat(before - after).isBetween(16 * MiB, 16 * MiB + 8 * MiB);
    }

    @Test
    void aVolumeWhoseImageIsGoneCanStillBeDeleted() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);
        Volume volume = provisioner.create(named("gone").required(16 * MiB).build());
        Files.delete(dir.resolve("volumes").resolve(LocalVolumeId.parse(volume.id()).orElseThrow().uuid() + ".img"));

        provisioner.delete(volume.id());

        assertThat(provisioner.get(volume.id())).isEmpty();
    }

    @Test
    void aRepeatWithOtherParametersIsAlreadyExists() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);
        provisioner.create(named("oc").required(16 * MiB).overcommit().build());

        assertThatThrownBy(() -> provisioner.create(named("oc").required(16 * MiB).build()))
                .isInstanceOf(VolumeAlreadyExists.class)
                .hasMessageContaining("other parameters");
    }

    @Test
    void aNameLongerThanTheCsiLimitIsRefused() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);

        assertThatThrownBy(() -> provisioner.create(named("n".repeat(129)).build()))
                .isInstanceOf(InvalidParameter.class)
                .hasMessageContaining("longer than 128 bytes");
        assertThat(provisioner.create(named("n".repeat(128)).required(16 * MiB).build()).capacityBytes()).isEqualTo(16 * MiB);
    }

    @Test
    void capacityForCapabilitiesNoVolumeHereCouldHaveIsZero() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);

        assertThat(provisioner.capacity(new CapacityQuery(Map.of(), List.of(Specs.mount("ext4",
                AccessMode.MULTI_NODE_MULTI_WRITER)), Map.of())).availableBytes()).isZero();
        assertThat(provisioner.capacity(new CapacityQuery(Map.of("type", "directory"), List.of(Specs.block()),
                Map.of())).availableBytes()).isZero();
        // This machine's data directory has no project quotas: enforced directory volumes cannot be made.
        assertThat(provisioner.capacity(new CapacityQuery(Map.of("type", "directory"), List.of(), Map.of()))
                .availableBytes()).isZero();
        assertThat(provisioner.capacity(new CapacityQuery(Map.of(), List.of(Specs.mount("ext4")), Map.of()))
                .availableBytes()).isPositive();
    }

    @Test
    void aHalfDeletedVolumeThatCannotBeRemovedDoesNotStopTheStart() throws Exception {
        VolumeProvisioner provisioner = Specs.open(dir);
        Volume kept = provisioner.create(named("kept").required(16 * MiB).build());
        Volume stuck = provisioner.create(named("stuck").required(16 * MiB).build());
        LocalVolumeId stuckId = LocalVolumeId.parse(stuck.id()).orElseThrow();
        RecordStore<VolumeRecord> records = RecordStore.volumes(dir.resolve("records"));
        VolumeRecord record = records.loadAll().stream().filter(r -> r.id().equals(stuckId)).findFirst().orElseThrow();
        records.save(record.withState(VolumeRecord.DELETING));
        // Something the restart cannot remove stands where the image was.
        Path image = dir.resolve("volumes").resolve(stuckId.uuid() + ".img");
        Files.delete(image);
        Files.createDirectory(image);
        Files.writeString(image.resolve("held"), "x");

        VolumeProvisioner reopened = Specs.open(dir);

        assertThat(reopened.get(kept.id())).isPresent();
        assertThat(dir.resolve("records").resolve(stuckId.uuid() + ".volume")).exists();
    }

    @Test
    void namesInLogLinesCannotForgeOtherLines() {
        assertThat(LocalProvisioner.printable("pvc\nFAKE ERROR line")).isEqualTo("pvc\\x0aFAKE ERROR line");
        assertThat(LocalProvisioner.printable("x".repeat(500))).hasSize(128);
    }
}
