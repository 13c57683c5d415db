package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.publishRequest;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGetVolumeStatsResponse;
import csi.v1.VolumeCapability;
import io.csi4j.linux.LoopAttachment;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.LoopOptions;
import io.csi4j.linux.Mount;
import io.csi4j.testing.DriverProcess;
import io.csi4j.testing.LoopFilesystem;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Advice in the local backend's errors can be followed where it is given: each case makes the
 * error, checks its advice, then does what the advice says and must succeed. The driver's data
 * directory is an ext4 filesystem of the test's, mounted without project quotas, so directory
 * volumes cannot have their capacity enforced here.
 */
class LocalNodeAdviceIT {

    private static final long MiB = 1L << 20;

    private static Path root;
    private static LoopFilesystem dataFs;
    private static DriverProcess driver;

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(() -> root, LocalNodeAdviceIT::dataDir);

    @BeforeAll
    static void startOnAFilesystemWithoutQuotas() throws IOException, InterruptedException {
        root = Files.createTempDirectory("csi4j-advice-");
        dataFs = LoopFilesystem.create(root, "ext4", 256 * MiB, List.of(), "");
        Files.createDirectories(dataDir());
        driver = DriverProcess.start(Drivers.socket(root), List.of("serve", "--endpoint", "unix://" + Drivers.socket(root),
                "--data-dir", dataDir().toString(), "--node-id", "test-node", "--ephemeral-size", "16Mi",
                "--kubelet-dir", root.toString()));
        try {
            driver.awaitReady(Drivers.START);
        } catch (AssertionError e) {
            driver.kill();
            throw e;
        }
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (driver != null) {
                driver.kill();
            }
        } finally {
            try {
                if (dataFs != null) {
                    dataFs.close();
                }
            } finally {
                io.csi4j.testing.CsiDriverExtension.deleteTree(root);
            }
        }
    }

    private static Path dataDir() {
        return dataFs.mountPoint().resolve("data");
    }

    @Test
    void anInlineDirectoryVolumeWithUnenforcedCapacityIsPublishedUsableAndSaysSo() throws IOException {
        Path target = workspace.dir().resolve("pod/inline");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        Map<String, String> attributes = Map.of("type", "directory", "size", "8Mi", "enforceCapacity", "false");
        String podVolume = "csi-" + UUID.randomUUID().toString().replace("-", "");

        publishInline(podVolume, target, attributes);
        Files.writeString(target.resolve("scratch"), "inline directory");
        assertThat(Files.readString(target.resolve("scratch"))).isEqualTo("inline directory");
        NodeGetVolumeStatsResponse stats = driver.node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(podVolume).setVolumePath(target.toString()).build());
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();
        assertThat(stats.getVolumeCondition().getMessage()).contains("capacity is not enforced");
        assertThat(stats.getUsage(0).getTotal()).as("the data directory's filesystem, not 8 MiB").isGreaterThan(8 * MiB);
        ListVolumesResponse listed = driver.controller().listVolumes(ListVolumesRequest.getDefaultInstance());
        assertThat(listed.getEntriesList()).as("its controller-side view")
                .anySatisfy(e -> assertThat(e.getVolume().getVolumeContextMap())
                        .containsEntry("type", "directory").containsEntry("capacityEnforced", "false"));
        assertThat(driver.output()).contains("capacity not enforced");

        unpublish(driver.node(), podVolume, target);
        assertThat(volumes()).isEqualTo(listed.getEntriesCount() - 1);
    }

    /** An inline volume's attributes, what they are refused with, and what following the advice changes. */
    static Stream<Arguments> inlineAdvice() {
        return Stream.of(
                arguments("[advice] directory without enforcement: set enforceCapacity \"false\"",
                        Map.of("type", "directory"), "set enforceCapacity: \"false\"",
                        Map.of("type", "directory", "enforceCapacity", "false")),
                arguments("[advice] directory without enforcement: or use type image",
                        Map.of("type", "directory"), "use type: image", Map.of("type", "image")),
                arguments("[advice] unknown attribute: the ones there are",
                        Map.of("sise", "8Mi"), "use size, type, fsType or enforceCapacity", Map.of("size", "8Mi")),
                arguments("[advice] unknown type", Map.of("type", "dir"), "use \"image\" or \"directory\"",
                        Map.of("type", "directory", "enforceCapacity", "false")),
                arguments("[advice] unknown filesystem", Map.of("fsType", "btrfs"), "use ext4 or xfs",
                        Map.of("fsType", "ext4")),
                arguments("[advice] enforceCapacity is a flag", Map.of("type", "directory", "enforceCapacity", "no"),
                        "must be \"true\" or \"false\"", Map.of("type", "directory", "enforceCapacity", "false")),
                arguments("[advice] a size such as 1Gi", Map.of("size", "8 megabytes"), "such as 512Mi or 1Gi",
                        Map.of("size", "8Mi")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inlineAdvice")
    void inlineVolumeAdviceCanBeFollowed(String name, Map<String, String> refused, String advice,
                                         Map<String, String> followed) throws IOException {
        Path target = workspace.dir().resolve("pod/inline");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        String podVolume = "csi-" + UUID.randomUUID().toString().replace("-", "");
        int before = volumes();
        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                () -> publishInline(podVolume, target, refused));
        assertThat(error).as("refused: " + refused).isNotNull();
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains(advice);
        assertThat(volumes()).as("a refused inline volume leaves none").isEqualTo(before);

        publishInline(podVolume, target, followed);
        Files.writeString(target.resolve("scratch"), "usable");
        unpublish(driver.node(), podVolume, target);
        assertThat(volumes()).isEqualTo(before);
    }

    @Test
    void aMountOfTheImageAtAPublicationIsUnpublishedNotUnstaged() throws IOException {
        VolumeCapability ext4 = mount("ext4");
        String id = create(driver.controller(), "pvc-" + UUID.randomUUID(), 16 * MiB, ext4, Map.of());
        Path staging = workspace.dir().resolve("staging");
        Path target = workspace.dir().resolve("pod/mount");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        stage(driver.node(), id, staging, ext4);
        publish(driver.node(), id, staging, target, ext4);
        Mount.unmount(staging, false); // behind the driver's back: the publication keeps the device
        Path elsewhere = workspace.dir().resolve("staging-2");

        StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                () -> stage(driver.node(), id, elsewhere, ext4));
        assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(error.getStatus().getDescription()).contains("mounted at " + target)
                .contains("still published there: unpublish it first");

        unpublish(driver.node(), id, target);
        stage(driver.node(), id, elsewhere, ext4);
        unstage(driver.node(), id, elsewhere);
        unstage(driver.node(), id, staging);
        delete(driver.controller(), id);
    }

    @Test
    void anImageAttachedByHandIsNotAdvisedToBeUnstaged() throws IOException {
        VolumeCapability ext4 = mount("ext4");
        String id = create(driver.controller(), "pvc-" + UUID.randomUUID(), 16 * MiB, ext4, Map.of());
        Path image = dataDir().resolve("volumes").resolve(id.substring(3, 35) + ".img");
        try (LoopAttachment byHand = LoopDevice.attach(image, LoopOptions.defaults())) {
            StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class,
                    () -> delete(driver.controller(), id));
            assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(error.getStatus().getDescription())
                    .contains(byHand.device().path().toString())
                    .contains("not staged or published by this driver")
                    .doesNotContain("unpublish and unstage");
            byHand.device().detach();
        }
        awaitNoLoopDevice(image);
        delete(driver.controller(), id);
    }

    private static void awaitNoLoopDevice(Path image) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!LoopDevice.find(image).isEmpty()) {
            assertThat(System.nanoTime()).as("the loop device of " + image + " goes").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    private static int volumes() {
        return driver.controller().listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesCount();
    }

    private static void publishInline(String podVolume, Path target, Map<String, String> attributes) {
        Map<String, String> context = new HashMap<>(attributes);
        context.put("csi.storage.k8s.io/ephemeral", "true");
        context.put("csi.storage.k8s.io/pod.name", "web-0");
        driver.node().nodePublishVolume(publishRequest(podVolume, null, target, mount(""))
                .putAllVolumeContext(context).build());
    }
}
