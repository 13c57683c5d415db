package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.loopsUnder;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.nio.file.ExtendedOpenOption;
import csi.v1.ControllerGrpc;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NodeUnstageVolume answers OK only once the volume's loop device is gone, so the CO's
 * DeleteVolume right after it finds the volume free; when the kernel does not let go of the device
 * in time, unstage answers ABORTED (retry) and the retry finishes the work.
 */
class LocalNodeUnstageIT {

    private static final long MiB = 1L << 20, GiB = 1L << 30;
    private static final VolumeCapability EXT4 = mount("ext4");

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

    @Test
    void aVolumeJustWrittenWithDirectIoCanBeDeletedRightAfterItsUnstage() throws IOException {
        String id = create(controller, "pvc-" + UUID.randomUUID(), 2 * GiB, EXT4, Map.of());
        Path staging = work.resolve("staging");
        Path target = work.resolve("pod/mount");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        stage(node, id, staging, EXT4);
        publish(node, id, staging, target, EXT4);

        writeDirect(target.resolve("fio-like"), GiB);
        unpublish(node, id, target);
        unstage(node, id, staging);

        assertThat(loopsUnder(driver.dataDir())).as("loop devices once unstage answered").isEmpty();
        delete(controller, id); // refused with "its image is attached" while the device lingers
        assertThat(Files.list(driver.dataDir().resolve("volumes")).toList()).isEmpty();
    }

    @Test
    void unstageAnswersAbortedWhileTheDeviceIsHeldAndTheRetryFinishes() throws IOException {
        String id = create(controller, "pvc-" + UUID.randomUUID(), 32 * MiB, EXT4, Map.of());
        Path staging = work.resolve("staging");
        stage(node, id, staging, EXT4);
        MountInfo mounted = MountTable.read().find(staging).orElseThrow();
        LoopDevice device = LoopDevice.ofDevice(mounted.major(), mounted.minor()).orElseThrow();

        try (FileChannel holder = FileChannel.open(device.path(), StandardOpenOption.READ)) {
            StatusRuntimeException held = catchThrowableOfType(StatusRuntimeException.class,
                    () -> unstage(node, id, staging));
            assertThat(held).as("unstage while something holds " + device.path()).isNotNull();
            assertThat(held.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
            assertThat(held.getStatus().getDescription()).contains(device.path().toString()).contains("retry");
            assertThat(MountTable.read().find(staging)).as("unmounted all the same").isEmpty();
            assertThat(node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder().setVolumeId(id)
                    .setVolumePath(staging.toString()).build()).getVolumeCondition().getAbnormal())
                    .as("a staging being torn down is not healthy").isTrue();
        }

        unstage(node, id, staging); // the CO's retry
        assertThat(loopsUnder(driver.dataDir())).isEmpty();
        assertThat(Files.list(driver.dataDir().resolve("node")).toList()).as("node states").isEmpty();
        unstage(node, id, staging); // and a repeat is still OK
        delete(controller, id);
    }

    /** Writes {@code bytes} of random data with O_DIRECT, as fio --direct=1 does: past the page cache. */
    private static void writeDirect(Path file, long bytes) throws IOException {
        int chunk = (int) MiB;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            int align = (int) Files.getFileStore(file).getBlockSize();
            ByteBuffer buffer = ByteBuffer.allocateDirect(chunk + align).alignedSlice(align).limit(chunk);
            byte[] random = new byte[chunk];
            ThreadLocalRandom.current().nextBytes(random);
            buffer.put(random);
            for (long at = 0; at < bytes; at += chunk) {
                buffer.clear().limit(chunk);
                while (buffer.hasRemaining()) {
                    channel.write(buffer, at + buffer.position());
                }
            }
        }
    }

    @Test
    void unstageIsFailedPreconditionNamingTheMountWhileTheImageIsStillMountedElsewhere() throws IOException {
        String id = create(controller, "pvc-" + UUID.randomUUID(), 32 * MiB, EXT4, Map.of());
        Path staging = work.resolve("staging");
        stage(node, id, staging, EXT4);
        String device = MountTable.read().find(staging).orElseThrow().source();
        Path elsewhere = Files.createDirectory(work.resolve("mounted-by-hand"));
        Mount.mount(device, elsewhere, "ext4", Set.of(), null);
        try {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> unstage(node, id, staging));
            assertThat(e).as("unstage while the image is mounted elsewhere").isNotNull();
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).contains(elsewhere.toString());
        } finally {
            Mount.unmountIfMounted(elsewhere, false);
        }
        unstage(node, id, staging); // the retry, once it is unmounted there
        assertThat(loopsUnder(driver.dataDir())).isEmpty();
        delete(controller, id);
    }
}
