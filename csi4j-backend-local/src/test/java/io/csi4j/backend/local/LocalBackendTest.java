package io.csi4j.backend.local;

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
    void readyWhenTheDataDirectoryIsAWritableDirectory() {
        assertThat(new LocalBackend(dir).readiness()).isInstanceOf(Readiness.Ready.class);
    }

    @Test
    void notReadyWhenTheDataDirectoryIsMissing() {
        Path missing = dir.resolve("gone");

        assertThat(new LocalBackend(missing).readiness())
                .isInstanceOfSatisfying(Readiness.NotReady.class,
                        r -> assertThat(r.reason()).contains(missing.toString()).contains("does not exist"));
    }

    @Test
    void notReadyWhenTheDataDirectoryIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThat(new LocalBackend(file).readiness()).isInstanceOf(Readiness.NotReady.class);
    }

    @Test
    void relativeDataDirectoryIsRefused() {
        assertThatThrownBy(() -> new LocalBackend(Path.of("data")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absolute");
    }

    @Test
    void advertisesNoFeatureItDoesNotServeYet() {
        assertThat(new LocalBackend(dir).features()).isEmpty();
    }
}
