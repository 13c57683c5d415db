package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.CapacityRange;
import csi.v1.ControllerGrpc;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import csi.v1.VolumeContentSource;
import io.csi4j.linux.Btrfs;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.csi4j.testing.LoopFilesystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots and restores of `directory` volumes, each case with its own driver on a loop-backed
 * data directory: on btrfs (capacity enforced by qgroups) a snapshot is a read-only subvolume
 * snapshot; on ext4 (capacity not enforced here: this kernel has no project quotas) a tree copy.
 * Either way the restored volume has the files, modes, symlinks and hard links of the instant.
 */
class DirectorySnapshotsIT {

    private static final long MiB = 1L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"btrfs", "ext4"})
    void aDirectoryVolumeIsSnapshottedAndRestored(String fsType) throws Exception {
        Path dir = Files.createTempDirectory("csi4j-dir-snap-");
        try (LoopFilesystem fs = LoopFilesystem.create(dir, fsType, 512 * MiB, List.of(), "")) {
            Path socket = dir.resolve("csi.sock");
            try (DriverProcess driver = DriverProcess.start(socket, List.of("serve", "--endpoint", "unix://" + socket,
                    "--data-dir", fs.mountPoint().toString(), "--node-id", "test-node", "--shutdown-grace", "5",
                    CsiDriverExtension.KUBELET_DIR, dir.resolve("work").toString()))) {
                driver.awaitReady(Duration.ofSeconds(60));
                ControllerGrpc.ControllerBlockingStub controller = driver.controller();
                NodeGrpc.NodeBlockingStub node = driver.node();
                Map<String, String> parameters = fsType.equals("btrfs")
                        ? Map.of("type", "directory")
                        : Map.of("type", "directory", "enforceCapacity", "false");
                VolumeCapability capability = mount("");
                String id = NodeCalls.create(controller, "dir-source", 32 * MiB, capability, parameters);
                Path staging = dir.resolve("work/staging");
                Files.createDirectories(staging.getParent()); // kubelet makes the directory that holds it
                Path target = dir.resolve("work/target");
                Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
                stage(node, id, staging, capability);
                publish(node, id, staging, target, capability);
                Files.writeString(target.resolve("file"), "at the instant");
                Files.setPosixFilePermissions(target.resolve("file"), PosixFilePermissions.fromString("rw-r-----"));
                Files.createDirectories(target.resolve("sub/deeper"));
                Files.createSymbolicLink(target.resolve("link"), Path.of("file"));
                Files.createLink(target.resolve("sub/hard"), target.resolve("file"));

                String snapshot = controller.createSnapshot(CreateSnapshotRequest.newBuilder()
                        .setName("dir-snap").setSourceVolumeId(id).build()).getSnapshot().getSnapshotId();
                Files.writeString(target.resolve("file"), "changed after");
                if (fsType.equals("btrfs")) {
                    assertThat(Btrfs.isSubvolume(fs.mountPoint().resolve("snapshots").resolve(snapshot.substring(3, 35))))
                            .as("a subvolume snapshot").isTrue();
                }

                String restored = controller.createVolume(CreateVolumeRequest.newBuilder().setName("dir-restored")
                        .addVolumeCapabilities(capability).putAllParameters(parameters)
                        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32 * MiB))
                        .setVolumeContentSource(VolumeContentSource.newBuilder().setSnapshot(
                                VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(snapshot)))
                        .build()).getVolume().getVolumeId();
                Path staging2 = dir.resolve("work/staging2");
                Files.createDirectories(staging2.getParent()); // kubelet makes the directory that holds it
                Path target2 = dir.resolve("work/target2");
                Files.createDirectories(target2.getParent()); // kubelet makes the directory that holds it
                stage(node, restored, staging2, capability);
                publish(node, restored, staging2, target2, capability);
                assertThat(Files.readString(target2.resolve("file"))).isEqualTo("at the instant");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target2.resolve("file"))))
                        .isEqualTo("rw-r-----");
                assertThat(Files.readSymbolicLink(target2.resolve("link"))).isEqualTo(Path.of("file"));
                assertThat(Files.isSameFile(target2.resolve("file"), target2.resolve("sub/hard"))).isTrue();
                assertThat(target2.resolve("sub/deeper")).isDirectory();

                for (var use : List.of(List.of(id, staging, target), List.of(restored, staging2, target2))) {
                    unpublish(node, (String) use.get(0), (Path) use.get(2));
                    unstage(node, (String) use.get(0), (Path) use.get(1));
                }
                delete(controller, id);
                controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshot).build());
                delete(controller, restored);
                try (var left = Files.list(fs.mountPoint().resolve("snapshots"))) { // closed: an open directory keeps the filesystem busy
                    assertThat(left.toList()).isEmpty();
                }
            } finally {
                NodeCalls.tearDown(dir.resolve("work"), fs.mountPoint()); // not dir: the data directory is mounted there
            }
        } finally {
            CsiDriverExtension.deleteTree(dir);
        }
    }
}
