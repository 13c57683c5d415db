package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.CreateVolumeRequest;
import csi.v1.NodeGrpc;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.VolumeCapability;
import csi.v1.VolumeContentSource;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.testing.DriverProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first format of a volume with the driver killed (SIGKILL) at random points of
 * NodeStageVolume: before, during and after mkfs. The CO's retry on a restarted driver must stage
 * the volume: what a crash leaves of the driver's own unfinished mkfs is no one's data. A volume
 * that holds data the driver did not just start formatting (a filesystem of another type, bytes
 * without a signature, a formatted and used volume, a clone) is still never formatted.
 */
class LocalNodeFormatCrashIT {

    private static final long MiB = 1L << 20;
    private static final int ROUNDS = 12;
    private static final VolumeCapability EXT4 = mount("ext4");

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(() -> Path.of(System.getProperty("java.io.tmpdir")),
            () -> Drivers.dataDir(this.workspace.dir()));

    private Path dir;
    private DriverProcess driver;

    @BeforeEach
    void setUp() throws IOException {
        dir = workspace.dir();
        driver = Drivers.start(dir);
    }

    @AfterEach
    void stopDriver() {
        if (driver != null) {
            driver.kill(); // before the workspace's check: the driver no longer touches anything
        }
    }

    /** Where a kill met the first stage: what the killed driver's log got to. */
    private enum Phase { BEFORE_MKFS, DURING_MKFS, AFTER_STAGE }

    @Test
    void aKillAnywhereInTheFirstFormatLeavesAVolumeTheRetryStages() throws Exception {
        // One undisturbed first stage says how long the mkfs part takes on this machine now.
        long[] calibration = timedFirstStage("pvc-calibration");
        long beforeMkfs = calibration[0], mkfsToAnswer = calibration[1];

        List<Phase> phases = new ArrayList<>();
        int formattedAgain = 0;
        for (int round = 0; round < ROUNDS || formattedAgain == 0; round++) {
            assertThat(round).as("rounds without a kill inside mkfs: " + phases).isLessThan(4 * ROUNDS);
            String id = create(driver.controller(), "pvc-crash-" + round, 64 * MiB, EXT4, Map.of());
            Path staging = dir.resolve("staging-" + round);
            String uuid = uuid(id);
            var answer = NodeGrpc.newFutureStub(driver.channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .nodeStageVolume(stageRequest(id, staging));
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (round % 4 == 0) {
                sleepMicros(random.nextLong(beforeMkfs + 1));
            } else {
                awaitOutput(driver, "volume " + id + ": making a ext4 filesystem");
                sleepMicros(random.nextLong(mkfsToAnswer * 3 / 2 + 1));
            }
            driver.killWithChildren(); // mkfs too: a container's end takes all its processes
            phases.add(phase(driver.output(), id));
            answer.cancel(true);
            driver = Drivers.start(dir);

            stageRetrying(id, staging);
            if (driver.output().contains("volume " + id + ": its first format was interrupted")) {
                formattedAgain++;
            }
            MountInfo staged = MountTable.read().find(staging).orElseThrow();
            assertThat(staged.fsType()).as("round " + round + " killed " + phases.getLast()).isEqualTo("ext4");
            Path target = dir.resolve("pod-" + round);
            publish(driver.node(), id, staging, target, EXT4);
            Files.writeString(target.resolve("proof"), uuid);
            assertThat(Files.readString(target.resolve("proof"))).isEqualTo(uuid);
            unpublish(driver.node(), id, target);
            unstage(driver.node(), id, staging);
            delete(driver.controller(), id);
        }
        assertThat(phases).as("where the kills fell").contains(Phase.DURING_MKFS);
        assertThat(formattedAgain).as("retries that found a first format interrupted, kills " + phases).isPositive();
    }

    @Test
    void aKillBetweenMkfsAndTheRecordOfItsEndFormatsAgain() throws IOException, InterruptedException {
        String id = create(driver.controller(), "pvc-mkfs-done", 64 * MiB, EXT4, Map.of());
        driver.kill();
        // What such a kill leaves, made by hand: a whole filesystem, and a record that says its format began.
        Process mkfs = new ProcessBuilder("mkfs.ext4", "-q", "-F", image(id).toString()).redirectErrorStream(true).start();
        assertThat(mkfs.waitFor(60, TimeUnit.SECONDS) && mkfs.exitValue() == 0)
                .as(new String(mkfs.getInputStream().readAllBytes())).isTrue();
        Path record = Drivers.dataDir(dir).resolve("records").resolve(uuid(id) + ".volume");
        Files.writeString(record, "formatting=true\n", StandardOpenOption.APPEND);
        driver = Drivers.start(dir);

        Path staging = dir.resolve("staging");
        stage(driver.node(), id, staging, EXT4);
        assertThat(driver.output()).contains("volume " + id + ": its first format was interrupted (a ext4 signature");
        assertThat(Files.readString(record)).doesNotContain("formatting");
        unstage(driver.node(), id, staging);
        byte[] damage = new byte[8192];
        Arrays.fill(damage, (byte) 0x5a);
        write(image(id), 1024, damage); // formatted and mounted since: its bytes are protected like any data
        assertThat(catchThrowableOfType(StatusRuntimeException.class, () -> stage(driver.node(), id, staging, EXT4))
                .getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        delete(driver.controller(), id);
    }

    @Test
    void dataTheDriverDidNotWriteIsNeverFormattedAfterAKill() throws IOException {
        String foreign = create(driver.controller(), "pvc-foreign", 64 * MiB, EXT4, Map.of());
        byte[] data = new byte[8192];
        Arrays.fill(data, (byte) 0x5a);
        write(image(foreign), 3072, data);
        String used = create(driver.controller(), "pvc-used", 64 * MiB, EXT4, Map.of());
        Path staging = dir.resolve("staging");
        stage(driver.node(), used, staging, EXT4);
        unstage(driver.node(), used, staging);
        String clone = clone(used, "pvc-clone");
        for (String id : List.of(used, clone)) {
            write(image(id), 1024, data); // its superblock gone: a damaged filesystem that still holds data
        }

        for (int attempt = 0; attempt < 2; attempt++) {
            for (String id : List.of(foreign, used, clone)) {
                byte[] before = head(image(id));
                StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> stage(driver.node(), id, staging, EXT4));
                assertThat(refused).as(id).isNotNull();
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(refused.getStatus().getDescription()).contains("it is not formatted");
                assertThat(head(image(id))).as("the first MiB of " + id).isEqualTo(before);
            }
            driver.kill(); // and a restart changes nothing
            driver = Drivers.start(dir);
        }
        for (String id : List.of(clone, used, foreign)) {
            delete(driver.controller(), id);
        }
    }

    @Test
    void aFilesystemOfAnotherTypeIsLeftAsItIs() throws IOException, InterruptedException {
        String id = create(driver.controller(), "pvc-xfs-inside", 300 * MiB, EXT4, Map.of());
        Process mkfs = new ProcessBuilder("mkfs.xfs", "-q", "-f", image(id).toString()).redirectErrorStream(true).start();
        assertThat(mkfs.waitFor(60, TimeUnit.SECONDS) && mkfs.exitValue() == 0)
                .as(new String(mkfs.getInputStream().readAllBytes())).isTrue();
        byte[] before = head(image(id));
        StatusRuntimeException refused = catchThrowableOfType(StatusRuntimeException.class,
                () -> stage(driver.node(), id, dir.resolve("staging"), EXT4));
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getStatus().getDescription()).contains("holds a xfs filesystem, not ext4");
        assertThat(head(image(id))).isEqualTo(before);
        delete(driver.controller(), id);
    }

    /** Stages a fresh volume and returns microseconds from the call to the mkfs line, and from there to the answer. */
    private long[] timedFirstStage(String name) throws IOException {
        String id = create(driver.controller(), name, 64 * MiB, EXT4, Map.of());
        Path staging = dir.resolve("staging-" + name);
        long start = System.nanoTime();
        var answer = NodeGrpc.newFutureStub(driver.channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                .nodeStageVolume(stageRequest(id, staging));
        awaitOutput(driver, "volume " + id + ": making a ext4 filesystem");
        long mkfs = System.nanoTime();
        try {
            answer.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        long done = System.nanoTime();
        unstage(driver.node(), id, staging);
        delete(driver.controller(), id);
        return new long[] {(mkfs - start) / 1000, (done - mkfs) / 1000};
    }

    /** The CO's retries after the kill: an old loop device still held (by an mkfs the kill orphaned) is ABORTED. */
    private void stageRetrying(String id, Path staging) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                stage(driver.node(), id, staging, EXT4);
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.ABORTED || System.nanoTime() > deadline) {
                    throw new AssertionError("retried stage of " + id + " failed; driver output:\n" + driver.output(), e);
                }
                sleepMicros(200_000);
            }
        }
    }

    private String clone(String source, String name) {
        return driver.controller().createVolume(CreateVolumeRequest.newBuilder()
                .setName(name)
                .addVolumeCapabilities(EXT4)
                .setVolumeContentSource(VolumeContentSource.newBuilder()
                        .setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(source)))
                .build()).getVolume().getVolumeId();
    }

    private static Phase phase(String output, String id) {
        if (output.contains("staged volume " + id)) {
            return Phase.AFTER_STAGE;
        }
        return output.contains("volume " + id + ": making a ext4 filesystem") ? Phase.DURING_MKFS : Phase.BEFORE_MKFS;
    }

    private static NodeStageVolumeRequest stageRequest(String id, Path staging) {
        return NodeStageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging.toString())
                .setVolumeCapability(EXT4).build();
    }

    private static String uuid(String volumeId) {
        return volumeId.substring("l1.".length(), "l1.".length() + 32);
    }

    private Path image(String volumeId) {
        return Drivers.dataDir(dir).resolve("volumes").resolve(uuid(volumeId) + ".img");
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
            channel.force(true);
        }
    }

    private static byte[] head(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) MiB);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
                // until full
            }
        }
        return buffer.array();
    }

    private static void awaitOutput(DriverProcess driver, String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!driver.output().contains(text)) {
            if (System.nanoTime() > deadline || !driver.isAlive()) {
                throw new AssertionError("no '" + text + "' in the driver's output:\n" + driver.output());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(200_000); // a fraction of mkfs's time
        }
    }

    private static void sleepMicros(long micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
