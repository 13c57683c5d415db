package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.CreateSnapshotRequest;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.VolumeCapability;
import io.csi4j.linux.StatFs;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.csi4j.testing.LoopFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where snapshots' bytes go: on a data directory whose filesystem reflinks (XFS made with
 * reflink=1) a snapshot shares the volume's blocks and costs almost no space; on ext4 it is a
 * full (sparse) copy. Each case runs its own driver on a loop-backed data directory.
 */
class SnapshotStorageIT {

    private static final long MiB = 1L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"xfs", "ext4"})
    void aSnapshotSharesBlocksOnlyWhereTheDataDirectoryReflinks(String fsType) throws Exception {
        Path dir = Files.createTempDirectory("csi4j-snap-storage-");
        try (LoopFilesystem fs = LoopFilesystem.create(dir, fsType, 1024 * MiB,
                fsType.equals("xfs") ? List.of("-m", "reflink=1") : List.of(), "")) {
            Path socket = dir.resolve("csi.sock");
            try (DriverProcess driver = DriverProcess.start(socket, List.of("serve", "--endpoint", "unix://" + socket,
                    "--data-dir", fs.mountPoint().toString(), "--node-id", "test-node", "--shutdown-grace", "5",
                    CsiDriverExtension.KUBELET_DIR, dir.resolve("work").toString()))) {
                driver.awaitReady(Duration.ofSeconds(60));
                VolumeCapability capability = mount("ext4");
                String id = create(driver.controller(), "pvc-data", 64 * MiB, capability, Map.of());
                Path staging = Files.createDirectories(dir.resolve("work")).resolve("staging"); // kubelet makes the parents
                Path target = dir.resolve("work/target");
                stage(driver.node(), id, staging, capability);
                publish(driver.node(), id, staging, target, capability);
                byte[] data = new byte[(int) (48 * MiB)];
                new Random(7).nextBytes(data);
                Files.write(target.resolve("data"), data);
                unpublish(driver.node(), id, target);
                unstage(driver.node(), id, staging);

                long before = StatFs.of(fs.mountPoint()).availableBytes();
                String snapshot = driver.controller().createSnapshot(CreateSnapshotRequest.newBuilder()
                        .setName("snap").setSourceVolumeId(id).build()).getSnapshot().getSnapshotId();
                long used = before - StatFs.of(fs.mountPoint()).availableBytes();

                if (fsType.equals("xfs")) {
                    assertThat(used).as("a reflinked snapshot's cost").isLessThan(4 * MiB);
                } else {
                    assertThat(used).as("a full copy's cost").isGreaterThan(40 * MiB);
                }
                driver.controller().deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshot).build());
                delete(driver.controller(), id);
            } finally {
                NodeCalls.tearDown(dir.resolve("work"), fs.mountPoint()); // not dir: the data directory is mounted there
            }
        } finally {
            CsiDriverExtension.deleteTree(dir);
        }
    }
}
