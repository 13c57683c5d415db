package io.csi4j.backend.local;

import io.csi4j.backend.local.provision.VolumeData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.spi.Readiness;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest {

    @TempDir
    Path dir;

    @Test
    void readyWhenTheDataDirectoryIsAWritableDirectory() throws Exception {
        assertThat(LocalBackend.open(dir, "n1", 0).readiness()).isInstanceOf(Readiness.Ready.class);
    }

    @Test
    void notReadyWhenTheDataDirectoryIsMissing() throws Exception {
        Path missing = dir.resolve("gone");

        LocalBackend backend = LocalBackend.open(dir.resolve("made"), "n1", 0);
        Files.move(dir.resolve("made"), missing);
        assertThat(backend.readiness())
                .isInstanceOfSatisfying(Readiness.NotReady.class,
                        r -> assertThat(r.reason()).contains(dir.resolve("made").toString()).contains("does not exist"));
    }

    @Test
    void notReadyWhenTheDataDirectoryIsAFile() throws Exception {
        LocalBackend backend = LocalBackend.open(dir.resolve("made"), "n1", 0);
        VolumeData.deleteTree(dir.resolve("made"));
        Files.writeString(dir.resolve("made"), "x");

        assertThat(backend.readiness()).isInstanceOf(Readiness.NotReady.class);
    }

    @Test
    void relativeDataDirectoryIsRefused() {
        assertThatThrownBy(() -> LocalBackend.open(Path.of("data"), "n1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
    }

    @Test
    void advertisesProvisioningTopologyAndTheNodeSide() throws Exception {
        LocalBackend backend = LocalBackend.open(dir, "n1", 0);
        assertThat(backend.features()).containsExactlyInAnyOrder(io.csi4j.spi.Feature.PROVISIONING,
                io.csi4j.spi.Feature.VOLUME_TOPOLOGY, io.csi4j.spi.Feature.NODE_VOLUMES, io.csi4j.spi.Feature.STAGING,
                io.csi4j.spi.Feature.VOLUME_STATS, io.csi4j.spi.Feature.SINGLE_NODE_MULTI_WRITER,
                io.csi4j.spi.Feature.SNAPSHOTS, io.csi4j.spi.Feature.CLONING, io.csi4j.spi.Feature.GROUP_SNAPSHOTS,
                io.csi4j.spi.Feature.ONLINE_EXPANSION);
        assertThat(backend.snapshots()).isPresent();
        assertThat(backend.node()).isPresent();
    }
}
