package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.LocalBackend;
import io.csi4j.backend.local.volume.LocalVolumeId;

import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.linux.ProjectQuota;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.testing.LoopFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory volumes limited by XFS and ext4 project quotas. This machine's kernel has no project
 * quotas, so these run in the QEMU guest with Debian's stock kernel (test-kernel/).
 */
@Tag("kernel")
class LocalProjectQuotaKernelIT {

    @TempDir
    Path dir;

    @Test
    void onXfsWithPrjquotaADirectoryVolumeStopsWritesWithEnospc() throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(dir, "xfs", 512 * MiB, List.of(), "prjquota")) {
            VolumeProvisioner provisioner = LocalBackend.open(fs.mountPoint(), Specs.NODE, 0).provisioner().orElseThrow();

            Volume volume = provisioner.create(named("x").param("type", "directory").required(10 * MiB).build());

            Path volumeDir = volumeDir(fs, volume);
            assertThat(volume.context()).containsEntry("capacityEnforced", "true");
            assertThat(ProjectQuota.projectOf(volumeDir)).isPositive();
            LocalFilesystemsIT.write(volumeDir.resolve("small"), 4 * MiB);
            assertThatThrownBy(() -> LocalFilesystemsIT.write(volumeDir.resolve("big"), 20 * MiB))
                    .hasMessageContaining("No space left on device");
            provisioner.delete(volume.id());
            assertThat(volumeDir).doesNotExist();
        }
    }

    @Test
    void onExt4WithPrjquotaADirectoryVolumeStopsUnprivilegedWritesWithEdquot() throws Exception {
        try (LoopFilesystem fs = LoopFilesystem.create(dir, "ext4", 512 * MiB, List.of("-O", "quota,project"), "prjquota")) {
            VolumeProvisioner provisioner = LocalBackend.open(fs.mountPoint(), Specs.NODE, 0).provisioner().orElseThrow();

            Volume volume = provisioner.create(named("e").param("type", "directory").required(10 * MiB).build());

            Path volumeDir = volumeDir(fs, volume);
            // ext4 lets CAP_SYS_RESOURCE write past the limit: write as a process without it.
            Process dd = new ProcessBuilder("setpriv", "--inh-caps=-sys_resource", "--bounding-set=-sys_resource",
                    "dd", "if=/dev/zero", "of=" + volumeDir.resolve("big"), "bs=1M", "count=20", "conv=fsync")
                    .redirectErrorStream(true).start();
            String output = new String(dd.getInputStream().readAllBytes());
            assertThat(dd.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(dd.exitValue()).isNotZero();
            assertThat(output).contains("Disk quota exceeded");
            assertThat(Files.size(volumeDir.resolve("big"))).isLessThanOrEqualTo(10 * MiB);
            provisioner.delete(volume.id());
            assertThat(volumeDir).doesNotExist();
        }
    }

    private static Path volumeDir(LoopFilesystem fs, Volume volume) {
        return fs.mountPoint().resolve("volumes").resolve(LocalVolumeId.parse(volume.id()).orElseThrow().uuid());
    }
}
