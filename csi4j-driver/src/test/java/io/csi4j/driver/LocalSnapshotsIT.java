package io.csi4j.driver;

import static io.csi4j.driver.LocalNodeIT.assertCode;
import static io.csi4j.driver.NodeCalls.block;
import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.CapacityRange;
import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.ControllerExpandVolumeResponse;
import csi.v1.ControllerGrpc;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeGroupSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.DeleteVolumeGroupSnapshotRequest;
import csi.v1.GetVolumeGroupSnapshotRequest;
import csi.v1.GroupControllerGrpc;
import csi.v1.ListSnapshotsRequest;
import csi.v1.ListSnapshotsResponse;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGrpc;
import csi.v1.Snapshot;
import csi.v1.VolumeCapability;
import csi.v1.VolumeContentSource;
import csi.v1.VolumeGroupSnapshot;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots, restores, clones, group snapshots and online expansion of local volumes, through
 * the socket with real filesystems: data is written, copied, changed and compared by checksum.
 */
class LocalSnapshotsIT {

    private static final long MiB = 1L << 20;

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(driver);

    private Path work;
    private ControllerGrpc.ControllerBlockingStub controller;
    private NodeGrpc.NodeBlockingStub node;
    private final List<String> volumes = new ArrayList<>();

    @BeforeEach
    void setUp() {
        work = workspace.dir();
        controller = driver.driver().controller();
        node = driver.driver().node();
    }


    /** A mounted volume the test writes to. */
    private record InUse(String id, Path staging, Path target) {}

    private InUse mounted(String id, VolumeCapability capability) {
        Path staging = work.resolve("staging-" + id.substring(3, 11));
        Path target = work.resolve("pod-" + id.substring(3, 11));
        stage(node, id, staging, capability);
        publish(node, id, staging, target, capability);
        return new InUse(id, staging, target);
    }

    private void release(InUse use) {
        unpublish(node, use.id(), use.target());
        unstage(node, use.id(), use.staging());
    }

    private String newVolume(long bytes, VolumeCapability capability) {
        String id = create(controller, "pvc-" + UUID.randomUUID(), bytes, capability, Map.of());
        volumes.add(id);
        return id;
    }

    private String restore(String snapshotId, long bytes, VolumeCapability capability) {
        return controller.createVolume(CreateVolumeRequest.newBuilder()
                .setName("restore-" + UUID.randomUUID())
                .addVolumeCapabilities(capability)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
                .setVolumeContentSource(VolumeContentSource.newBuilder()
                        .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(snapshotId)))
                .build()).getVolume().getVolumeId();
    }

    private Snapshot snapshot(String name, String volumeId) {
        return controller.createSnapshot(CreateSnapshotRequest.newBuilder()
                .setName(name).setSourceVolumeId(volumeId).build()).getSnapshot();
    }

    private void deleteSnapshot(String id) {
        controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(id).build());
    }

    private static String write(Path file, long bytes, long seed) throws IOException {
        byte[] data = new byte[(int) bytes];
        new Random(seed).nextBytes(data);
        Files.write(file, data);
        return sha256(file);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4", "xfs"})
    void aRestoredSnapshotHoldsTheDataOfItsInstant(String fsType) throws IOException {
        long size = fsType.equals("xfs") ? 300 * MiB : 32 * MiB;
        VolumeCapability capability = mount(fsType);
        String source = newVolume(size, capability);
        InUse use = mounted(source, capability);
        String before = write(use.target().resolve("data"), 4 * MiB, 1);

        Snapshot snapshot = snapshot("snap-" + UUID.randomUUID(), source); // taken while mounted: frozen around the copy
        assertThat(snapshot.getReadyToUse()).isTrue();
        assertThat(snapshot.getSizeBytes()).isEqualTo(size);
        assertThat(snapshot.getSourceVolumeId()).isEqualTo(source);
        assertThat(snapshot.getCreationTime().getSeconds()).isPositive();
        String after = write(use.target().resolve("data"), 4 * MiB, 2);
        assertThat(after).isNotEqualTo(before);

        String restored = restore(snapshot.getSnapshotId(), size, capability);
        InUse copy = mounted(restored, capability);
        assertThat(sha256(copy.target().resolve("data"))).isEqualTo(before);
        assertThat(sha256(use.target().resolve("data"))).isEqualTo(after);
        release(copy);
        release(use);

        String larger = restore(snapshot.getSnapshotId(), 2 * size, capability);
        InUse grown = mounted(larger, capability);
        assertThat(sha256(grown.target().resolve("data"))).isEqualTo(before);
        assertThat(Files.getFileStore(grown.target()).getTotalSpace()).as("grown on first stage")
                .isGreaterThan(size);
        release(grown);

        for (String id : List.of(source, restored, larger)) {
            delete(controller, id);
        }
        deleteSnapshot(snapshot.getSnapshotId());
        assertThat(driver.dataDir().resolve("snapshots").resolve(snapshot.getSnapshotId().substring(3, 35) + ".img"))
                .doesNotExist();
    }

    @Test
    void aCloneCopiesAVolumeInUse() throws IOException {
        VolumeCapability capability = mount("ext4");
        String source = newVolume(32 * MiB, capability);
        InUse use = mounted(source, capability);
        String sum = write(use.target().resolve("data"), 2 * MiB, 3);

        String clone = controller.createVolume(CreateVolumeRequest.newBuilder()
                .setName("clone-" + UUID.randomUUID())
                .addVolumeCapabilities(capability)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(32 * MiB))
                .setVolumeContentSource(VolumeContentSource.newBuilder()
                        .setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(source)))
                .build()).getVolume().getVolumeId();
        InUse copy = mounted(clone, capability);
        assertThat(sha256(copy.target().resolve("data"))).isEqualTo(sum);
        Files.writeString(copy.target().resolve("only-in-clone"), "x");
        assertThat(use.target().resolve("only-in-clone")).doesNotExist();
        release(copy);
        release(use);
        delete(controller, clone);
        delete(controller, source);
    }

    @Test
    void aSnapshotTakenDuringWritesMountsClean() throws Exception {
        VolumeCapability capability = mount("ext4");
        String source = newVolume(64 * MiB, capability);
        InUse use = mounted(source, capability);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().start(() -> {
            byte[] block = new byte[64 * 1024];
            int n = 0;
            while (writing.get()) {
                try {
                    Path file = use.target().resolve("f" + (n++ % 50));
                    Files.write(file, block, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.SYNC);
                } catch (IOException e) {
                    return;
                }
            }
        });
        Snapshot snapshot;
        try {
            Thread.sleep(200);
            snapshot = snapshot("busy-" + UUID.randomUUID(), source);
        } finally {
            writing.set(false);
            writer.join(30_000);
        }
        Path image = driver.dataDir().resolve("snapshots").resolve(snapshot.getSnapshotId().substring(3, 35) + ".img");
        Process fsck = new ProcessBuilder("e2fsck", "-fn", image.toString()).redirectErrorStream(true).start();
        String output = new String(fsck.getInputStream().readAllBytes());
        assertThat(fsck.waitFor()).as(output).isZero();

        release(use);
        delete(controller, source);
        deleteSnapshot(snapshot.getSnapshotId());
    }

    @Test
    void snapshotsOutliveTheirSourceAndAreListedPagedAndFiltered() throws IOException {
        VolumeCapability capability = mount("ext4");
        String first = newVolume(16 * MiB, capability);
        String second = newVolume(16 * MiB, capability);
        InUse use = mounted(first, capability);
        String sum = write(use.target().resolve("data"), MiB, 4);
        release(use);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(snapshot("list-" + i + "-" + UUID.randomUUID(), first).getSnapshotId());
        }
        ids.add(snapshot("other-" + UUID.randomUUID(), second).getSnapshotId());

        List<String> paged = new ArrayList<>();
        String token = "";
        do {
            ListSnapshotsResponse page = controller.listSnapshots(ListSnapshotsRequest.newBuilder()
                    .setMaxEntries(2).setStartingToken(token).build());
            assertThat(page.getEntriesCount()).isLessThanOrEqualTo(2);
            page.getEntriesList().forEach(e -> paged.add(e.getSnapshot().getSnapshotId()));
            token = page.getNextToken();
        } while (!token.isEmpty());
        assertThat(paged).containsAll(ids);
        assertThat(controller.listSnapshots(ListSnapshotsRequest.newBuilder().setSourceVolumeId(second).build())
                .getEntriesList()).extracting(e -> e.getSnapshot().getSnapshotId()).containsExactly(ids.get(3));
        assertThat(controller.listSnapshots(ListSnapshotsRequest.newBuilder().setSnapshotId(ids.get(1)).build())
                .getEntriesList()).extracting(e -> e.getSnapshot().getSnapshotId()).containsExactly(ids.get(1));
        assertThat(controller.listSnapshots(ListSnapshotsRequest.newBuilder()
                .setSnapshotId("s1." + "0".repeat(32) + ".test-node").build()).getEntriesList()).isEmpty();
        assertCode(() -> controller.listSnapshots(ListSnapshotsRequest.newBuilder().setStartingToken("nope").build()),
                Status.Code.ABORTED);

        delete(controller, first);
        String restored = restore(ids.get(0), 16 * MiB, capability);
        InUse copy = mounted(restored, capability);
        assertThat(sha256(copy.target().resolve("data"))).isEqualTo(sum);
        release(copy);
        delete(controller, restored);
        delete(controller, second);
        for (String id : ids) {
            deleteSnapshot(id);
            deleteSnapshot(id);
        }
    }

    @Test
    void mistakesGetTheSpecsCodes() {
        VolumeCapability capability = mount("ext4");
        String source = newVolume(16 * MiB, capability);
        String name = "named-" + UUID.randomUUID();
        Snapshot snapshot = snapshot(name, source);
        assertThat(snapshot(name, source).getSnapshotId()).as("same name, same source").isEqualTo(snapshot.getSnapshotId());
        String other = newVolume(16 * MiB, capability);
        assertCode(() -> snapshot(name, other), Status.Code.ALREADY_EXISTS);
        assertCode(() -> snapshot("x-" + UUID.randomUUID(), "l1." + "0".repeat(32) + ".test-node"), Status.Code.NOT_FOUND);
        assertCode(() -> restore("s1." + "0".repeat(32) + ".test-node", 16 * MiB, capability), Status.Code.NOT_FOUND);
        assertCode(() -> restore(snapshot.getSnapshotId(), 8 * MiB, capability), Status.Code.OUT_OF_RANGE);
        assertCode(() -> restore(snapshot.getSnapshotId(), 16 * MiB, block()), Status.Code.INVALID_ARGUMENT);
        assertCode(() -> controller.createVolume(CreateVolumeRequest.newBuilder().setName("dir-" + UUID.randomUUID())
                .addVolumeCapabilities(capability).putParameters("type", "directory")
                .putParameters("enforceCapacity", "false")
                .setVolumeContentSource(VolumeContentSource.newBuilder()
                        .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(snapshot.getSnapshotId())))
                .build()), Status.Code.INVALID_ARGUMENT);
        CreateVolumeRequest restoreAgain = CreateVolumeRequest.newBuilder().setName("replayed-" + UUID.randomUUID())
                .addVolumeCapabilities(capability).setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(16 * MiB))
                .setVolumeContentSource(VolumeContentSource.newBuilder().setSnapshot(
                        VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(snapshot.getSnapshotId())))
                .build();
        String restored = controller.createVolume(restoreAgain).getVolume().getVolumeId();
        assertThat(controller.createVolume(restoreAgain).getVolume().getVolumeId()).as("replayed").isEqualTo(restored);
        assertCode(() -> controller.createVolume(restoreAgain.toBuilder().clearVolumeContentSource().build()),
                Status.Code.ALREADY_EXISTS);
        delete(controller, restored);
        delete(controller, source);
        delete(controller, other);
        deleteSnapshot(snapshot.getSnapshotId());
    }

    @Test
    void aGroupSnapshotCopiesThreeVolumesTogether() throws IOException {
        VolumeCapability capability = mount("ext4");
        List<String> sources = List.of(newVolume(16 * MiB, capability), newVolume(16 * MiB, capability),
                newVolume(16 * MiB, capability));
        List<InUse> uses = new ArrayList<>();
        List<String> sums = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            InUse use = mounted(sources.get(i), capability);
            sums.add(write(use.target().resolve("data"), MiB, 10 + i));
            uses.add(use);
        }
        release(uses.remove(2)); // one of them not mounted: copied as it lies
        GroupControllerGrpc.GroupControllerBlockingStub group = GroupControllerGrpc.newBlockingStub(driver.driver().channel());
        String name = "group-" + UUID.randomUUID();

        VolumeGroupSnapshot taken = group.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.newBuilder()
                .setName(name).addAllSourceVolumeIds(sources).build()).getGroupSnapshot();
        assertThat(taken.getSnapshotsList()).extracting(Snapshot::getSourceVolumeId).containsExactlyElementsOf(sources);
        assertThat(taken.getReadyToUse()).isTrue();
        assertThat(group.createVolumeGroupSnapshot(CreateVolumeGroupSnapshotRequest.newBuilder()
                .setName(name).addAllSourceVolumeIds(sources.reversed()).build()).getGroupSnapshot().getGroupSnapshotId())
                .isEqualTo(taken.getGroupSnapshotId());
        List<String> members = taken.getSnapshotsList().stream().map(Snapshot::getSnapshotId).toList();
        assertThat(group.getVolumeGroupSnapshot(GetVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(taken.getGroupSnapshotId()).addAllSnapshotIds(members).build())
                .getGroupSnapshot().getSnapshotsCount()).isEqualTo(3);
        assertCode(() -> deleteSnapshot(members.get(0)), Status.Code.FAILED_PRECONDITION);
        uses.forEach(this::release);

        for (int i = 0; i < 3; i++) {
            String restored = restore(members.get(i), 16 * MiB, capability);
            InUse copy = mounted(restored, capability);
            assertThat(sha256(copy.target().resolve("data"))).isEqualTo(sums.get(i));
            release(copy);
            delete(controller, restored);
        }
        assertCode(() -> group.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(taken.getGroupSnapshotId()).addSnapshotIds(members.get(0)).build()),
                Status.Code.INVALID_ARGUMENT); // the spec's "snapshot list mismatch"
        group.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(taken.getGroupSnapshotId()).addAllSnapshotIds(members).build());
        group.deleteVolumeGroupSnapshot(DeleteVolumeGroupSnapshotRequest.newBuilder()
                .setGroupSnapshotId(taken.getGroupSnapshotId()).addAllSnapshotIds(members).build());
        assertThat(controller.listSnapshots(ListSnapshotsRequest.getDefaultInstance()).getEntriesList())
                .extracting(e -> e.getSnapshot().getSnapshotId()).doesNotContainAnyElementsOf(members);
        sources.forEach(id -> delete(controller, id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4", "xfs"})
    void aMountedVolumeGrowsOnline(String fsType) throws IOException {
        // Growing a mounted ext4 takes CAP_SYS_RESOURCE, which root lacks on some build machines.
        org.junit.jupiter.api.Assumptions.assumeTrue(fsType.equals("xfs") || hasCapability(24),
                "no CAP_SYS_RESOURCE here: online ext4 growth runs in the kernel guest");
        long size = fsType.equals("xfs") ? 300 * MiB : 32 * MiB;
        VolumeCapability capability = mount(fsType);
        String id = newVolume(size, capability);
        InUse use = mounted(id, capability);
        String sum = write(use.target().resolve("data"), MiB, 5);
        long before = Files.getFileStore(use.target()).getTotalSpace();

        ControllerExpandVolumeResponse grown = controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder()
                .setVolumeId(id).setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2 * size)).build());
        assertThat(grown.getCapacityBytes()).isEqualTo(2 * size);
        assertThat(grown.getNodeExpansionRequired()).isTrue();
        long capacity = node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setVolumePath(use.target().toString()).setStagingTargetPath(use.staging().toString())
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2 * size)).build()).getCapacityBytes();
        assertThat(capacity).isEqualTo(2 * size);

        long after = Files.getFileStore(use.target()).getTotalSpace();
        assertThat(after).as("df after growing").isGreaterThan(before + size / 2);
        long statsTotal = node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id)
                .setVolumePath(use.target().toString()).build()).getUsage(0).getTotal();
        assertThat(statsTotal).isEqualTo(after);
        assertThat(sha256(use.target().resolve("data"))).isEqualTo(sum);

        assertThat(controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(2 * size)).build()).getCapacityBytes())
                .as("asking again").isEqualTo(2 * size);
        assertCode(() -> controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size)).build()), Status.Code.OUT_OF_RANGE);
        release(use);
        delete(controller, id);
    }

    /** Whether this process holds capability {@code bit} (24 is CAP_SYS_RESOURCE). */
    static boolean hasCapability(int bit) throws IOException {
        String effective = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).strip();
        return (Long.parseUnsignedLong(effective, 16) & (1L << bit)) != 0;
    }

    @Test
    void whereAMountedExt4CannotGrowTheNodeSaysSoAndItGrowsAtTheNextStage() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(hasCapability(24), "CAP_SYS_RESOURCE here: ext4 grows online");
        VolumeCapability capability = mount("ext4");
        String id = newVolume(32 * MiB, capability);
        InUse use = mounted(id, capability);
        controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(96 * MiB)).build());

        assertCode(() -> node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setVolumePath(use.target().toString()).build()), Status.Code.FAILED_PRECONDITION);
        release(use);
        InUse again = mounted(id, capability);
        assertThat(Files.getFileStore(again.target()).getTotalSpace()).isGreaterThan(64 * MiB);
        release(again);
        delete(controller, id);
    }

    @Test
    void anUnmountedExt4GrowsAtItsNextStage() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = newVolume(32 * MiB, capability);
        InUse use = mounted(id, capability);
        String sum = write(use.target().resolve("data"), MiB, 6);
        release(use);

        controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(96 * MiB)).build());
        InUse again = mounted(id, capability);
        assertThat(Files.getFileStore(again.target()).getTotalSpace()).isGreaterThan(64 * MiB);
        assertThat(sha256(again.target().resolve("data"))).isEqualTo(sum);
        release(again);
        delete(controller, id);
    }

    @Test
    void aBlockVolumeGrowsOnTheNode() throws IOException {
        VolumeCapability capability = block();
        String id = newVolume(16 * MiB, capability);
        Path staging = Files.createDirectories(work.resolve("staging"));
        Path target = work.resolve("dev");
        stage(node, id, staging, capability);
        publish(node, id, staging, target, capability);

        controller.controllerExpandVolume(ControllerExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(48 * MiB)).build());
        node.nodeExpandVolume(NodeExpandVolumeRequest.newBuilder().setVolumeId(id)
                .setVolumePath(target.toString()).build());
        assertThat(node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id)
                .setVolumePath(target.toString()).build()).getUsage(0).getTotal()).isEqualTo(48 * MiB);
        try (var device = java.nio.channels.FileChannel.open(target, StandardOpenOption.WRITE)) {
            device.write(java.nio.ByteBuffer.wrap(new byte[] {1}), 48 * MiB - 1); // the new last byte is writable
        }
        unpublish(node, id, target);
        unstage(node, id, staging);
        delete(controller, id);
    }
}
