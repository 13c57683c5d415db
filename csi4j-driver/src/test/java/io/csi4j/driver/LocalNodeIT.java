package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.block;
import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.loopsUnder;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.mountsUnder;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.publishRequest;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.ControllerGrpc;
import csi.v1.ListVolumesRequest;
import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGetVolumeStatsResponse;
import csi.v1.NodeGrpc;
import csi.v1.NodeServiceCapability;
import csi.v1.VolumeCapability;
import csi.v1.VolumeUsage;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Node service over the local backend with real loop devices, filesystems and mounts, called
 * through the driver's socket as kubelet would. Each test works under its own directory and
 * leaves no mount and no loop device behind, also when it fails.
 */
class LocalNodeIT {

    private static final long MiB = 1L << 20;

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(driver);

    private Path work;
    private ControllerGrpc.ControllerBlockingStub controller;
    private NodeGrpc.NodeBlockingStub node;

    @BeforeEach
    void setUp() {
        work = workspace.dir();
        controller = driver.driver().controller();
        node = driver.driver().node();
    }


    private String name() {
        return "pvc-" + UUID.randomUUID();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4", "xfs"})
    void dataSurvivesUnstageAndStageOnANewLoopDevice(String fsType) throws IOException {
        VolumeCapability capability = mount(fsType);
        String id = create(controller, name(), fsType.equals("xfs") ? 300 * MiB : 32 * MiB, capability, Map.of());
        Path staging = work.resolve("staging");
        Path target = work.resolve("pod/mount");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it

        stage(node, id, staging, capability);
        MountInfo staged = MountTable.read().find(staging).orElseThrow();
        assertThat(staged.fsType()).isEqualTo(fsType);
        publish(node, id, staging, target, capability);
        Files.writeString(target.resolve("hello.txt"), "kept across stages");
        unpublish(node, id, target);
        assertThat(target).doesNotExist();
        unstage(node, id, staging);
        assertThat(mountsUnder(work)).isEmpty();
        assertThat(loopsUnder(driver.dataDir())).as("unmounting gives the loop device back").isEmpty();

        stage(node, id, staging, capability);
        publish(node, id, staging, target, capability);
        assertThat(Files.readString(target.resolve("hello.txt"))).isEqualTo("kept across stages");
        unpublish(node, id, target);
        unstage(node, id, staging);
        delete(controller, id);
        assertThat(Files.list(driver.dataDir().resolve("volumes")).toList()).isEmpty();
    }

    @Test
    void rawBlockVolumeKeepsItsBytes() throws IOException {
        VolumeCapability capability = block();
        String id = create(controller, name(), 16 * MiB, capability, Map.of());
        Path staging = work.resolve("staging");
        Files.createDirectories(staging);
        Path target = work.resolve("pod/dev");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        byte[] bytes = "raw block bytes".getBytes(StandardCharsets.UTF_8);

        stage(node, id, staging, capability);
        publish(node, id, staging, target, capability);
        assertThat(Files.isRegularFile(target) || !Files.isDirectory(target)).isTrue();
        try (FileChannel device = FileChannel.open(target, StandardOpenOption.WRITE)) {
            device.write(ByteBuffer.wrap(bytes), 4096);
            device.force(true);
        }
        unpublish(node, id, target);
        unstage(node, id, staging);
        assertThat(loopsUnder(driver.dataDir())).isEmpty();

        stage(node, id, staging, capability);
        publish(node, id, staging, target, capability);
        ByteBuffer read = ByteBuffer.allocate(bytes.length);
        try (FileChannel device = FileChannel.open(target, StandardOpenOption.READ)) {
            device.read(read, 4096);
        }
        assertThat(read.array()).isEqualTo(bytes);
        NodeGetVolumeStatsResponse stats = node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(id).setVolumePath(target.toString()).build());
        assertThat(stats.getUsage(0).getUnit()).isEqualTo(VolumeUsage.Unit.BYTES);
        assertThat(stats.getUsage(0).getTotal()).isEqualTo(16 * MiB);
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();
        unpublish(node, id, target);
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void readOnlyPublicationRefusesWritesWhileAnotherTargetWrites() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = create(controller, name(), 32 * MiB, capability, Map.of());
        Path staging = work.resolve("staging");
        Path writer = work.resolve("pod-a/mount");
        Files.createDirectories(writer.getParent()); // kubelet makes the directory that holds it
        Path reader = work.resolve("pod-b/mount");
        Files.createDirectories(reader.getParent()); // kubelet makes the directory that holds it
        stage(node, id, staging, capability);
        publish(node, id, staging, writer, capability);
        node.nodePublishVolume(publishRequest(id, staging, reader, capability)
                .setReadonly(true).build());

        Files.writeString(writer.resolve("shared.txt"), "from a");
        assertThat(Files.readString(reader.resolve("shared.txt"))).isEqualTo("from a");
        assertThatThrownBy(() -> Files.writeString(reader.resolve("nope.txt"), "x"))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("Read-only file system");
        assertThat(MountTable.read().find(reader).orElseThrow().readOnly()).isTrue();

        unpublish(node, id, reader);
        unpublish(node, id, writer);
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void readOnlyBlockPublicationRefusesWrites() throws IOException {
        VolumeCapability capability = block();
        String id = create(controller, name(), 16 * MiB, capability, Map.of());
        Path staging = work.resolve("staging");
        Files.createDirectories(staging);
        Path target = work.resolve("pod/dev");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        stage(node, id, staging, capability);
        node.nodePublishVolume(publishRequest(id, staging, target, capability).setReadonly(true).build());

        assertThatThrownBy(() -> {
            try (FileChannel device = FileChannel.open(target, StandardOpenOption.WRITE)) {
                device.write(ByteBuffer.wrap(new byte[512]), 0);
                device.force(true);
            }
        }).isInstanceOf(IOException.class);

        unpublish(node, id, target);
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void repeatsAreIdempotentAndConflictsAreRefused() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = create(controller, name(), 32 * MiB, capability, Map.of());
        Path staging = work.resolve("staging");
        Path target = work.resolve("pod/mount");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it

        assertCode(() -> publish(node, id, staging, target, capability), Status.Code.FAILED_PRECONDITION);
        stage(node, id, staging, capability);
        stage(node, id, staging, capability);
        assertCode(() -> stage(node, id, work.resolve("elsewhere"), capability), Status.Code.ALREADY_EXISTS);
        assertCode(() -> stage(node, id, staging, block()), Status.Code.FAILED_PRECONDITION);
        publish(node, id, staging, target, capability);
        publish(node, id, staging, target, capability);
        assertThat(MountTable.read().mounts().stream().filter(m -> m.mountPoint().equals(target))).hasSize(1);
        assertCode(() -> node.nodePublishVolume(publishRequest(id, staging, target, capability).setReadonly(true).build()),
                Status.Code.ALREADY_EXISTS);
        assertCode(() -> unstage(node, id, staging), Status.Code.FAILED_PRECONDITION);
        assertCode(() -> controller.deleteVolume(csi.v1.DeleteVolumeRequest.newBuilder().setVolumeId(id).build()),
                Status.Code.FAILED_PRECONDITION);
        assertThat(controller.listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesList())
                .filteredOn(e -> e.getVolume().getVolumeId().equals(id))
                .singleElement()
                .satisfies(e -> assertThat(e.getStatus().getPublishedNodeIdsList()).containsExactly("test-node"));

        unpublish(node, id, target);
        unpublish(node, id, target);
        unstage(node, id, staging);
        unstage(node, id, staging);
        delete(controller, id);
        assertCode(() -> stage(node, id, staging, capability), Status.Code.NOT_FOUND);
        assertCode(() -> publish(node, "l1." + "0".repeat(32) + ".test-node", staging, target, capability),
                Status.Code.NOT_FOUND);
    }

    @Test
    void pathsFromTheCoAreChecked() {
        VolumeCapability capability = mount("ext4");
        String id = "l1." + "0".repeat(32) + ".test-node";
        for (String bad : List.of("relative/path", work + "/../escape", work + "/./here", "/")) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> node.nodeStageVolume(
                    csi.v1.NodeStageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(bad)
                            .setVolumeCapability(capability).build()));
            assertThat(e.getStatus().getCode()).as(bad).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        // No staging path although the driver stages: the spec's table says FAILED_PRECONDITION.
        assertCode(() -> node.nodePublishVolume(publishRequest(id, null, work.resolve("t"), capability).build()),
                Status.Code.FAILED_PRECONDITION);
    }

    @Test
    void pathsInOrAboveTheDataDirectoryAreRefused() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = create(controller, name(), 16 * MiB, capability, Map.of());
        // Through links in the workspace: the driver's bound on node paths (its kubelet directory)
        // lets them pass, the backend must see where they really lead.
        Path link = Files.createSymbolicLink(work.resolve("sneaky"), driver.dataDir());
        Path above = Files.createSymbolicLink(work.resolve("above"), driver.dataDir().getParent());
        for (Path bad : List.of(link.resolve("records"), link.resolve("volumes/x"), above)) {
            assertCode(() -> stage(node, id, bad, capability), Status.Code.INVALID_ARGUMENT);
            assertCode(() -> publish(node, id, work.resolve("staging"), bad, capability), Status.Code.INVALID_ARGUMENT);
            assertCode(() -> unpublish(node, id, bad), Status.Code.INVALID_ARGUMENT);
        }
        assertThat(driver.dataDir().resolve("records")).isDirectory();
        delete(controller, id);
    }

    @Test
    void ephemeralInlineVolumeLivesAndDiesWithItsPublication() throws IOException {
        String podVolume = "csi-" + UUID.randomUUID().toString().replace("-", "");
        Path target = work.resolve("pod/inline");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        int before = controller.listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesCount();

        node.nodePublishVolume(publishRequest(podVolume, null, target, mount(""))
                .putVolumeContext("csi.storage.k8s.io/ephemeral", "true")
                .putVolumeContext("csi.storage.k8s.io/pod.name", "web-0")
                .putVolumeContext("size", "24Mi")
                .build());
        Files.writeString(target.resolve("scratch"), "inline");
        assertThat(Files.getFileStore(target).getTotalSpace()).isBetween(16 * MiB, 24 * MiB);
        assertThat(controller.listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesCount()).isEqualTo(before + 1);
        NodeGetVolumeStatsResponse stats = node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(podVolume).setVolumePath(target.toString()).build());
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();

        unpublish(node, podVolume, target);
        assertThat(target).doesNotExist();
        assertThat(controller.listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesCount()).isEqualTo(before);
        assertThat(Files.list(driver.dataDir().resolve("volumes")).toList()).isEmpty();
        unpublish(node, podVolume, target);

        assertCode(() -> node.nodePublishVolume(publishRequest("csi-big", null, target, mount(""))
                .putVolumeContext("csi.storage.k8s.io/ephemeral", "true")
                .putVolumeContext("size", "1Pi").build()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> node.nodePublishVolume(publishRequest("csi-typo", null, target, mount(""))
                .putVolumeContext("csi.storage.k8s.io/ephemeral", "true")
                .putVolumeContext("sise", "1Gi").build()), Status.Code.INVALID_ARGUMENT);
        assertThat(controller.listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesCount()).isEqualTo(before);
    }

    @Test
    void statsReportUsageAndTurnAbnormalWhenTheImageIsRemoved() throws IOException {
        Published volume = publishedExt4();
        String id = volume.id();
        Path staging = volume.staging();
        Path target = volume.target();
        Files.write(target.resolve("four-mib"), new byte[4 << 20]);

        NodeGetVolumeStatsResponse healthy = stats(id, target);
        VolumeUsage bytes = healthy.getUsageList().stream().filter(u -> u.getUnit() == VolumeUsage.Unit.BYTES).findFirst().orElseThrow();
        VolumeUsage inodes = healthy.getUsageList().stream().filter(u -> u.getUnit() == VolumeUsage.Unit.INODES).findFirst().orElseThrow();
        assertThat(bytes.getTotal()).isBetween(24 * MiB, 32 * MiB);
        assertThat(bytes.getUsed()).isGreaterThanOrEqualTo(4 * MiB);
        assertThat(inodes.getTotal()).isPositive();
        assertThat(inodes.getUsed()).isPositive();
        assertThat(healthy.getVolumeCondition().getAbnormal()).isFalse();
        assertCode(() -> stats(id, work.resolve("not-a-volume")), Status.Code.NOT_FOUND);

        try (var images = Files.list(driver.dataDir().resolve("volumes"))) {
            for (Path image : images.toList()) {
                Files.delete(image);
            }
        }
        NodeGetVolumeStatsResponse broken = stats(id, target);
        assertThat(broken.getVolumeCondition().getAbnormal()).isTrue();
        assertThat(broken.getVolumeCondition().getMessage()).contains("image");

        remove(volume);
    }

    @Test
    void aFilesystemRemountedReadOnlyIsReportedAbnormal() throws Exception {
        Published volume = publishedExt4();
        String id = volume.id();
        Path staging = volume.staging();
        Path target = volume.target();
        assertThat(stats(id, target).getVolumeCondition().getAbnormal()).isFalse();

        // What ext4's errors=remount-ro does on an I/O error: the whole filesystem turns read-only.
        io.csi4j.linux.Mount.mount(null, staging, null,
                java.util.EnumSet.of(io.csi4j.linux.MountFlag.REMOUNT, io.csi4j.linux.MountFlag.RDONLY), null);

        NodeGetVolumeStatsResponse stats = stats(id, target);
        assertThat(stats.getVolumeCondition().getAbnormal()).isTrue();
        assertThat(stats.getVolumeCondition().getMessage()).contains("read-only");
        remove(volume);
    }

    @Test
    void machineRestartIsRepairedByRepeatedStageAndPublish() throws IOException {
        Published volume = publishedExt4();
        String id = volume.id();
        Path staging = volume.staging();
        Path target = volume.target();
        Files.writeString(target.resolve("before-reboot"), "still here");

        NodeCalls.tearDown(work, driver.dataDir()); // what a reboot does to mounts and loop devices
        assertThat(stats(id, target).getVolumeCondition().getAbnormal()).isTrue();

        stage(node, id, staging, mount("ext4"));
        publish(node, id, staging, target, mount("ext4"));
        assertThat(Files.readString(target.resolve("before-reboot"))).isEqualTo("still here");
        assertThat(stats(id, target).getVolumeCondition().getAbnormal()).isFalse();

        NodeCalls.tearDown(work, driver.dataDir());
        remove(volume);
    }

    @Test
    void capabilitiesAndInfoDescribeTheNodeSide() {
        assertThat(node.nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .extracting(c -> c.getRpc().getType())
                .containsExactlyInAnyOrder(NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME,
                        NodeServiceCapability.RPC.Type.GET_VOLUME_STATS,
                        NodeServiceCapability.RPC.Type.VOLUME_CONDITION,
                        NodeServiceCapability.RPC.Type.SINGLE_NODE_MULTI_WRITER,
                        NodeServiceCapability.RPC.Type.EXPAND_VOLUME);
        assertThat(node.nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getAccessibleTopology().getSegmentsMap())
                .containsEntry("topology.csi4j.io/node", "test-node");
    }

    /** A 32 MiB ext4 volume, staged and published under the test's directory. */
    private record Published(String id, Path staging, Path target) {}

    private Published publishedExt4() {
        VolumeCapability capability = mount("ext4");
        String id = create(controller, name(), 32 * MiB, capability, Map.of());
        Published volume = new Published(id, work.resolve("staging"), work.resolve("pod/mount"));
        try {
            Files.createDirectories(volume.target().getParent()); // kubelet makes the directory that holds it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stage(node, id, volume.staging(), capability);
        publish(node, id, volume.staging(), volume.target(), capability);
        return volume;
    }

    private void remove(Published volume) {
        unpublish(node, volume.id(), volume.target());
        unstage(node, volume.id(), volume.staging());
        delete(controller, volume.id());
    }

    private NodeGetVolumeStatsResponse stats(String id, Path path) {
        return node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(id).setVolumePath(path.toString()).build());
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Status.Code code) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected " + code).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.getStatus().getDescription()).isEqualTo(code);
    }
}
