package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.loopsUnder;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.mountsUnder;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.ListVolumesRequest;
import csi.v1.VolumeCapability;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.MountInfo;
import io.csi4j.testing.DriverProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole life of a volume with the driver killed (SIGKILL) after every step and started again
 * on the same data directory. The CO never saw the answer, so it repeats the step on the new
 * driver, which must give the same result; then the next step follows.
 */
class LocalNodeRestartIT {

    @FunctionalInterface
    private interface Step {
        void run(DriverProcess driver) throws IOException;
    }

    private Path dir;
    private DriverProcess driver;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("csi4j-node-restart-");
    }

    @AfterEach
    void noMountOrLoopDeviceLeft() throws IOException {
        if (driver != null) {
            driver.kill();
        }
        List<MountInfo> mounts = mountsUnder(dir);
        List<LoopDevice> loops = loopsUnder(Drivers.dataDir(dir));
        NodeCalls.tearDown(dir, Drivers.dataDir(dir));
        io.csi4j.testing.CsiDriverExtension.deleteTree(dir);
        assertThat(mounts).as("mounts left").isEmpty();
        assertThat(loops).as("loop devices left").isEmpty();
    }

    @Test
    void everyStepIsRepeatableAfterAKill() throws IOException {
        VolumeCapability capability = mount("ext4");
        Path staging = dir.resolve("staging");
        Path target = dir.resolve("pod/mount");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        String[] id = new String[1];
        List<Step> steps = new ArrayList<>(List.of(
                d -> id[0] = create(d.controller(), "pvc-restarts", 32L << 20, capability, Map.of()),
                d -> stage(d.node(), id[0], staging, capability),
                d -> publish(d.node(), id[0], staging, target, capability),
                d -> Files.writeString(target.resolve("data"), "written once"),
                d -> assertThat(Files.readString(target.resolve("data"))).isEqualTo("written once"),
                d -> unpublish(d.node(), id[0], target),
                d -> unstage(d.node(), id[0], staging),
                d -> stage(d.node(), id[0], staging, capability),
                d -> publish(d.node(), id[0], staging, target, capability),
                d -> assertThat(Files.readString(target.resolve("data"))).isEqualTo("written once"),
                d -> unpublish(d.node(), id[0], target),
                d -> unstage(d.node(), id[0], staging),
                d -> delete(d.controller(), id[0])));

        driver = Drivers.start(dir);
        for (Step step : steps) {
            step.run(driver);
            driver.kill();
            driver = Drivers.start(dir);
            step.run(driver); // the CO's retry: it never got the first answer
        }

        assertThat(driver.controller().listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesList()).isEmpty();
        assertThat(Files.list(Drivers.dataDir(dir).resolve("volumes")).toList()).isEmpty();
        assertThat(Files.list(Drivers.dataDir(dir).resolve("node")).toList()).as("node states").isEmpty();
    }
}
