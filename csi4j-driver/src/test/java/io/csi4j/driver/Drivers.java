package io.csi4j.driver;

import csi.v1.CapacityRange;
import csi.v1.CreateVolumeRequest;
import csi.v1.VolumeCapability;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/** Dedicated drivers for tests that stop, kill or break them: socket and data in a directory of the test's. */
final class Drivers {

    static final Duration START = Duration.ofSeconds(60);
    static final Duration EXIT = Duration.ofSeconds(30);
    static final Duration RUN = Duration.ofSeconds(30);

    private Drivers() {}

    static Path socket(Path dir) {
        return dir.resolve("csi.sock");
    }

    static Path dataDir(Path dir) {
        return dir.resolve("data");
    }

    /**
     * {@code serve} on {@code dir}/csi.sock with data in {@code dir}/data, node paths bounded to
     * {@code dir} (unless {@code extra} names a {@code --kubelet-dir}), then {@code extra}.
     */
    static List<String> serveArgs(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--endpoint", "unix://" + socket(dir),
                "--data-dir", dataDir(dir).toString(), "--node-id", "test-node", "--shutdown-grace", "5"));
        if (!Arrays.asList(extra).contains(CsiDriverExtension.KUBELET_DIR)) {
            args.addAll(List.of(CsiDriverExtension.KUBELET_DIR, dir.toString()));
        }
        args.addAll(Arrays.asList(extra));
        return args;
    }

    /**
     * The smallest CreateVolume the local backend accepts: a name, one mount capability for a single
     * writer, 16 MiB.
     */
    static CreateVolumeRequest.Builder minimalCreate(String name) {
        return CreateVolumeRequest.newBuilder()
                .setName(name)
                .addVolumeCapabilities(VolumeCapability.newBuilder()
                        .setMount(VolumeCapability.MountVolume.getDefaultInstance())
                        .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                                .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(16L << 20));
    }

    /** Starts a driver on {@code dir} and waits until it serves; kills it if it does not. */
    static DriverProcess start(Path dir, String... extra) throws IOException {
        Files.createDirectories(dataDir(dir));
        DriverProcess driver = DriverProcess.start(socket(dir), serveArgs(dir, extra));
        try {
            return driver.awaitReady(START);
        } catch (RuntimeException | Error e) {
            driver.kill();
            throw e;
        }
    }

    /** Waits until the driver's output has a line that matches, and returns that line. */
    static String awaitLine(DriverProcess driver, Predicate<String> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var line = driver.output().lines().filter(match).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching line in the driver's output:\n" + driver.output());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
