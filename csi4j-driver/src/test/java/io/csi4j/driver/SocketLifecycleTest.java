package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.ProbeRequest;
import io.csi4j.testing.DriverProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void sigtermRemovesTheSocketAndExitsZero() throws IOException {
        try (DriverProcess driver = Drivers.start(dir)) {
            assertThat(Files.exists(Drivers.socket(dir), LinkOption.NOFOLLOW_LINKS)).isTrue();

            assertThat(driver.terminate(Drivers.EXIT)).isZero();
            assertThat(Files.exists(Drivers.socket(dir), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    @Test
    void sigintRemovesTheSocketAndExitsZero() throws Exception {
        try (DriverProcess driver = Drivers.start(dir)) {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(driver.pid())).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();

            assertThat(driver.awaitExit(Drivers.EXIT)).isZero();
            assertThat(driver.output()).contains("stop signal received");
            assertThat(Files.exists(Drivers.socket(dir), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }

    @Test
    void theSocketIsReadableAndWritableByOwnerAndGroupByDefault() throws IOException {
        try (DriverProcess driver = Drivers.start(dir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Drivers.socket(dir))))
                    .isEqualTo("rw-rw----");
        }
    }

    @Test
    void socketModeSetsThePermissionsOfTheSocket() throws IOException {
        try (DriverProcess driver = Drivers.start(dir, "--socket-mode", "0600")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Drivers.socket(dir))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aStaleSocketOfAKilledDriverIsReplacedByTheNextStart() throws IOException {
        try (DriverProcess crashed = Drivers.start(dir)) {
            crashed.kill();
        }
        assertThat(Files.exists(Drivers.socket(dir), LinkOption.NOFOLLOW_LINKS)).as("stale socket left behind").isTrue();

        try (DriverProcess next = Drivers.start(dir)) {
            assertThat(next.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
            assertThat(next.terminate(Drivers.EXIT)).isZero();
        }
        assertThat(Files.exists(Drivers.socket(dir), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aSecondDriverOnALiveSocketExitsTwoAndLeavesTheFirstServing() throws IOException {
        try (DriverProcess first = Drivers.start(dir)) {
            Path otherData = dir.resolve("other-data");

            DriverProcess.Result second = DriverProcess.run(java.util.List.of("serve",
                    "--endpoint", "unix://" + Drivers.socket(dir), "--data-dir", otherData.toString(),
                    "--node-id", "test-node"), Drivers.RUN);

            assertThat(second.exitCode()).isEqualTo(2);
            assertThat(second.stderr()).startsWith("csi4j: ").contains("another process").endsWith("\n");
            assertThat(second.stderr().lines()).hasSize(1);
            assertThat(otherData).doesNotExist();
            assertThat(first.isAlive()).isTrue();
            assertThat(first.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
        }
    }

    @Test
    void aSecondDriverOnTheSameDataDirectoryExitsTwoAtOnceAndLeavesTheFirstServing() throws IOException {
        try (DriverProcess first = Drivers.start(dir)) {
            Path otherSocket = dir.resolve("other.sock");

            DriverProcess.Result second = DriverProcess.run(java.util.List.of("serve",
                    "--endpoint", "unix://" + otherSocket, "--data-dir", Drivers.dataDir(dir).toString(),
                    "--node-id", "test-node"), Drivers.RUN);

            assertThat(second.exitCode()).as("stderr: %s", second.stderr()).isEqualTo(2);
            assertThat(second.stderr()).startsWith("csi4j: another driver is running on the data directory "
                    + Drivers.dataDir(dir)).endsWith("\n");
            assertThat(second.stderr().lines()).hasSize(1);
            assertThat(Files.exists(otherSocket, LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(first.isAlive()).isTrue();
            assertThat(first.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
        }
        try (DriverProcess next = Drivers.start(dir)) { // the lock went with the first driver
            assertThat(next.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
        }
    }
}
