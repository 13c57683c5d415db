package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.volume.LocalVolumeId;

import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeProvisioner;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests of a provisioner opened on a fresh data directory before each test, and where its files lie. */
abstract class ProvisionerFixture {

    @TempDir
    Path dir;

    VolumeProvisioner provisioner;

    @BeforeEach
    void open() throws Exception {
        provisioner = Specs.open(dir);
    }

    static LocalVolumeId idOf(Volume volume) {
        return LocalVolumeId.parse(volume.id()).orElseThrow();
    }

    /** The image file of an image volume. */
    Path image(Volume volume) {
        return dir.resolve("volumes").resolve(idOf(volume).uuid() + ".img");
    }

    /** The directory of a directory volume. */
    Path directory(Volume volume) {
        return dir.resolve("volumes").resolve(idOf(volume).uuid());
    }

    Path record(Volume volume) {
        return dir.resolve("records").resolve(idOf(volume).uuid() + ".volume");
    }
}
