package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.LocalBackend;

import static io.csi4j.backend.local.provision.Specs.MiB;
import static io.csi4j.backend.local.provision.Specs.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.linux.StatFs;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.Expansion;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mounted ext4 volume grown online. Growing a mounted ext4 takes CAP_SYS_RESOURCE, which root
 * lacks on the build machines (the driver then grows it at the next stage; LocalSnapshotsIT
 * covers that); in the QEMU guest (test-kernel/) root has it, as a node plugin's container does.
 */
@Tag("kernel")
class LocalExpansionKernelIT {

    @TempDir
    Path dir;

    @Test
    void aMountedExt4VolumeGrowsOnline() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        LocalBackend backend = LocalBackend.open(data, Specs.NODE, 0);
        VolumeProvisioner provisioner = backend.provisioner().orElseThrow();
        NodeVolumes node = backend.node().orElseThrow();
        VolumeCapability ext4 = new VolumeCapability(new VolumeCapability.Mount("ext4", List.of()),
                AccessMode.SINGLE_NODE_WRITER);
        Volume volume = provisioner.create(named("grow").required(32 * MiB).build());
        Path staging = dir.resolve("staging");
        Path target = dir.resolve("target");
        node.stage(new StageRequest(volume.id(), staging, ext4, Map.of()));
        node.publish(new PublishRequest(volume.id(), Optional.of(staging), target, ext4, false, Map.of()));
        try {
            Files.write(target.resolve("data"), new byte[4 << 20]);
            long before = StatFs.of(target).totalBytes();

            Expansion grown = provisioner.expand(volume.id(), new CapacityRange(96 * MiB, 0));
            assertThat(grown.nodeExpansionRequired()).isTrue();
            assertThat(node.expand(volume.id(), target, new CapacityRange(96 * MiB, 0))).isEqualTo(96 * MiB);

            assertThat(StatFs.of(target).totalBytes()).isGreaterThan(before + 48 * MiB);
            assertThat(Files.size(target.resolve("data"))).isEqualTo(4 << 20);
        } finally {
            node.unpublish(volume.id(), target);
            node.unstage(volume.id(), staging);
        }
        provisioner.delete(volume.id());
    }
}
