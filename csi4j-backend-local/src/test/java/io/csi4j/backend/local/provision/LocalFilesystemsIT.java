package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.LocalBackend;
import io.csi4j.backend.local.volume.LocalVolumeId;

import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.testing.LoopFilesystem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The local backend on data directories of each kind this machine's kernel offers (needs root):
 * ext4, XFS and btrfs, each a real filesystem on a loop device. Directory volumes are limited by
 * btrfs qgroups here; XFS and ext4 project quotas need a full kernel (LocalProjectQuotaKernelIT).
 */
class LocalFilesystemsIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "image volumes on {0}")
    @ValueSource(strings = {"ext4", "xfs", "btrfs"})
    void imageVolumesAreSparseFilesOfTheirCapacity(String type) throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(dir, type, 512 * MiB, List.of(), "")) {
            Path data = Files.createDirectory(fs.mountPoint().resolve("data"));
            VolumeProvisioner provisioner = LocalBackend.open(data, Specs.NODE, 0).provisioner().orElseThrow();
            long before = provisioner.capacity(new io.csi4j.spi.CapacityQuery(java.util.Map.of(), List.of(),
                    java.util.Map.of())).availableBytes();

            Volume volume = provisioner.create(named("img").required(64 * MiB).build());

            Path image = data.resolve("volumes").resolve(LocalVolumeId.parse(volume.id()).orElseThrow().uuid() + ".img");
            assertThat(Files.size(image)).isEqualTo(64 * MiB);
            assertThat(Specs.allocatedBytes(image)).isLessThan(MiB);
            long after = provisioner.capacity(new io.csi4j.spi.CapacityQuery(java.util.Map.of(), List.of(),
                    java.util.Map.of())).availableBytes();
            assertThat(before - after).isBetween(64 * MiB, 64 * MiB + 4 * MiB);
            provisioner.delete(volume.id());
            assertThat(image).doesNotExist();
        }
    }

    /** On a filesystem of its own, so that no other writer on the machine moves the free space measured. */
    @org.junit.jupiter.api.Test
    void dataWrittenInsideAVolumeIsNotCountedTwiceOnceAllocationIsRefreshed() throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(dir, "ext4", 256 * MiB, List.of(), "")) {
            Path data = Files.createDirectory(fs.mountPoint().resolve("data"));
            LocalProvisioner provisioner = (LocalProvisioner) LocalBackend.open(data, Specs.NODE, 0).provisioner().orElseThrow();
            Volume volume = provisioner.create(named("filled").required(64 * MiB).build());
            io.csi4j.spi.CapacityQuery any = new io.csi4j.spi.CapacityQuery(java.util.Map.of(), List.of(), java.util.Map.of());
            long promised = provisioner.capacity(any).availableBytes();

            // The application writes half its volume: free space drops, the promise is unchanged.
            write(data.resolve("volumes").resolve(LocalVolumeId.parse(volume.id()).orElseThrow().uuid() + ".img"), 32 * MiB);
            long doubleCounted = provisioner.capacity(any).availableBytes();
            provisioner.refreshAllocation();
            long refreshed = provisioner.capacity(any).availableBytes();

            assertThat(promised - doubleCounted).isBetween(28 * MiB, 40 * MiB);
            assertThat(Math.abs(refreshed - promised)).isLessThan(4 * MiB);
            provisioner.delete(volume.id());
        }
    }

    @ParameterizedTest(name = "directory volumes on {0} without project quotas are refused, and say why")
    @ValueSource(strings = {"ext4", "xfs"})
    void withoutProjectQuotasDirectoryVolumesAreRefused(String type) throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(dir, type, 512 * MiB, List.of(), "")) {
            VolumeProvisioner provisioner = LocalBackend.open(fs.mountPoint(), Specs.NODE, 0).provisioner().orElseThrow();

            assertThatThrownBy(() -> provisioner.create(named("d").param("type", "directory").required(10 * MiB).build()))
                    .isInstanceOf(InvalidParameter.class)
                    .hasMessageContaining("cannot be enforced")
                    .hasMessageContaining(type)
                    .hasMessageContaining("prjquota");
        }
    }

    @Test
    void onBtrfsADirectoryVolumeStopsWritesAtItsCapacity() throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(dir, "btrfs", 512 * MiB, List.of(), "")) {
            LocalBackend backend = LocalBackend.open(fs.mountPoint(), Specs.NODE, 0);
            VolumeProvisioner provisioner = backend.provisioner().orElseThrow();

            Volume volume = provisioner.create(named("quota").param("type", "directory").required(10 * MiB).build());

            assertThat(volume.context()).containsEntry("capacityEnforced", "true");
            Path volumeDir = fs.mountPoint().resolve("volumes").resolve(LocalVolumeId.parse(volume.id()).orElseThrow().uuid());
            assertThat(io.csi4j.linux.Btrfs.isSubvolume(volumeDir)).isTrue();
            write(volumeDir.resolve("small"), 4 * MiB); // within the limit
            assertThatThrownBy(() -> write(volumeDir.resolve("big"), 20 * MiB))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("Disk quota exceeded");

            provisioner.delete(volume.id());
            assertThat(volumeDir).doesNotExist();
        }
    }

    @Test
    void onBtrfsAVolumeSurvivesARestartWithItsLimit() throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(dir, "btrfs", 512 * MiB, List.of(), "")) {
            Volume volume = LocalBackend.open(fs.mountPoint(), Specs.NODE, 0).provisioner().orElseThrow()
                    .create(named("kept").param("type", "directory").required(10 * MiB).build());

            VolumeProvisioner reopened = LocalBackend.open(fs.mountPoint(), Specs.NODE, 0).provisioner().orElseThrow();

            assertThat(reopened.get(volume.id())).hasValueSatisfying(s -> assertThat(s.abnormal()).isFalse());
            Path volumeDir = fs.mountPoint().resolve("volumes").resolve(LocalVolumeId.parse(volume.id()).orElseThrow().uuid());
            assertThatThrownBy(() -> write(volumeDir.resolve("big"), 20 * MiB)).hasMessageContaining("Disk quota exceeded");
            reopened.delete(volume.id());
            assertThat(volumeDir).doesNotExist();
        }
    }

    @Test
    void aVolumeInUseOnThisNodeIsNotDeleted() throws Exception {
        Path data = java.nio.file.Files.createDirectory(dir.resolve("data"));
        VolumeProvisioner provisioner = LocalBackend.open(data, Specs.NODE, 0).provisioner().orElseThrow();
        Volume image = provisioner.create(named("attached").required(16 * MiB).build());
        Volume directory = provisioner.create(named("bound").directory().required(16 * MiB).build());
        Path imageFile = data.resolve("volumes").resolve(LocalVolumeId.parse(image.id()).orElseThrow().uuid() + ".img");
        Path volumeDir = data.resolve("volumes").resolve(LocalVolumeId.parse(directory.id()).orElseThrow().uuid());
        Path target = java.nio.file.Files.createDirectory(dir.resolve("target"));

        try (io.csi4j.linux.LoopAttachment loop = io.csi4j.linux.LoopDevice.attach(imageFile,
                io.csi4j.linux.LoopOptions.defaults().withAutoclear(false))) {
            io.csi4j.linux.Mount.bind(volumeDir, target, false);
            try {
                assertThatThrownBy(() -> provisioner.delete(image.id()))
                        .isInstanceOf(io.csi4j.spi.FailedPrecondition.class)
                        .hasMessageContaining("attached to " + loop.device().path());
                assertThatThrownBy(() -> provisioner.delete(directory.id()))
                        .isInstanceOf(io.csi4j.spi.FailedPrecondition.class)
                        .hasMessageContaining("mounted at " + target);
                assertThat(imageFile).exists();
                assertThat(volumeDir).isDirectory();
            } finally {
                io.csi4j.linux.Mount.unmount(target, false);
                loop.device().detach();
            }
        }
        provisioner.delete(image.id());
        provisioner.delete(directory.id());
        assertThat(imageFile).doesNotExist();
        assertThat(volumeDir).doesNotExist();
    }

    /** Writes and syncs, as an application filling its volume would; quota errors surface here. */
    static void write(Path file, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) MiB);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += MiB) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
            }
            channel.force(true);
        }
    }
}
