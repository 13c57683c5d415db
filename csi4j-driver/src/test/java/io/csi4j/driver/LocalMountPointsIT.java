package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.block;
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
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.ControllerGrpc;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountTable;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile staging and target paths for local volumes, through the driver's socket: a path is
 * taken only as kubelet would give it (an empty directory or a path not there yet; for raw block
 * an empty file or none), never through a symbolic link, never over data or a foreign mount, and
 * a path swapped for a symlink while the driver works on it never redirects a mount or an unmount.
 */
class LocalMountPointsIT {

    private static final long MiB = 1L << 20;

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(driver);

    private Path work, decoy;
    private ControllerGrpc.ControllerBlockingStub controller;
    private NodeGrpc.NodeBlockingStub node;

    @BeforeEach
    void setUp() throws IOException {
        work = workspace.dir();
        controller = driver.driver().controller();
        node = driver.driver().node();
        // Stands for /etc: a directory with content that a hostile request names as its mount point.
        decoy = Files.createDirectory(work.resolve("etc"));
        Files.writeString(decoy.resolve("passwd"), "root:x:0:0");
        Files.writeString(decoy.resolve("hosts"), "127.0.0.1 localhost");
    }

    private String volume(VolumeCapability capability) {
        return create(controller, "pvc-" + UUID.randomUUID(), 16 * MiB, capability, Map.of());
    }

    private static StatusRuntimeException refused(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e;
    }

    private void assertDecoyUntouched() throws IOException {
        assertThat(MountTable.read().isMountPoint(decoy)).as("the decoy got a mount").isFalse();
        try (var listed = Files.list(decoy)) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("passwd", "hosts");
        }
    }

    @Test
    void stagingOrPublishingOverDataIsFailedPreconditionNamingWhatIsThere() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = volume(capability);
        StatusRuntimeException staged = refused(() -> stage(node, id, decoy, capability));
        assertThat(staged.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(staged.getStatus().getDescription()).contains("not empty").contains("passwd");
        assertThat(loopsUnder(driver.dataDir())).as("nothing attached for a refused staging").isEmpty();

        Path staging = work.resolve("staging");
        stage(node, id, staging, capability);
        StatusRuntimeException published = refused(() -> publish(node, id, staging, decoy, capability));
        assertThat(published.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(published.getStatus().getDescription()).contains("hosts");
        assertDecoyUntouched();
        // The refused publication left no record: unstage goes through.
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void aPathWhoseDirectoryIsMissingIsFailedPreconditionNamingItAndNothingIsMade() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = volume(capability);
        Path missing = work.resolve("no-such-pod");
        StatusRuntimeException staged = refused(() -> stage(node, id, missing.resolve("staging"), capability));
        assertThat(staged.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(staged.getStatus().getDescription()).contains(missing.toString()).contains("does not exist");
        assertThat(loopsUnder(driver.dataDir())).isEmpty();

        Path staging = work.resolve("staging");
        stage(node, id, staging, capability);
        StatusRuntimeException published = refused(() -> publish(node, id, staging, missing.resolve("deeper/mount"),
                capability));
        assertThat(published.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(published.getStatus().getDescription()).contains(missing.resolve("deeper").toString());
        assertThat(missing).doesNotExist();
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void aRawBlockTargetThatHoldsDataOrIsALinkIsRefused() throws IOException {
        VolumeCapability capability = block();
        String id = volume(capability);
        Path staging = Files.createDirectories(work.resolve("staging"));
        stage(node, id, staging, capability);
        Path data = Files.writeString(work.resolve("data-file"), "precious");
        Path link = Files.createSymbolicLink(work.resolve("dev-link"), Files.writeString(work.resolve("empty-file"), ""));

        assertThat(refused(() -> publish(node, id, staging, data, capability)).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused(() -> publish(node, id, staging, link, capability)).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused(() -> publish(node, id, staging, decoy, capability)).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(data).hasContent("precious");
        assertThat(mountsUnder(work)).isEmpty();
        assertDecoyUntouched();

        Path target = work.resolve("pod/dev");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        publish(node, id, staging, target, capability);
        publish(node, id, staging, target, capability); // its own earlier bind: a repeat
        unpublish(node, id, target);
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void aPathThroughASymlinkIsInvalidArgumentAndTheLinksDestinationGetsNothing() throws IOException {
        VolumeCapability capability = mount("ext4");
        String id = volume(capability);
        Path empty = Files.createDirectory(work.resolve("empty"));
        Path linkToEmpty = Files.createSymbolicLink(work.resolve("link-to-empty"), empty);
        Path linkToDecoy = Files.createSymbolicLink(work.resolve("link-to-etc"), decoy);
        Path linkedParent = Files.createSymbolicLink(work.resolve("linked"), work);

        for (Path bad : new Path[] {linkToEmpty, linkToDecoy, linkedParent.resolve("staging")}) {
            assertThat(refused(() -> stage(node, id, bad, capability)).getStatus().getCode()).as(bad.toString())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(work.resolve("staging")).doesNotExist();
        Path staging = work.resolve("staging"), target = work.resolve("pod/mount");
        Files.createDirectories(target.getParent()); // kubelet makes the directory that holds it
        stage(node, id, staging, capability);
        for (Path bad : new Path[] {linkToEmpty, linkedParent.resolve("pod/mount")}) {
            assertThat(refused(() -> publish(node, id, staging, bad, capability)).getStatus().getCode()).as(bad.toString())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(MountTable.read().isMountPoint(empty)).isFalse();
        assertDecoyUntouched();

        // Unpublish and unstage through a link unmount and remove nothing.
        publish(node, id, staging, target, capability);
        Path linkToTarget = Files.createSymbolicLink(work.resolve("link-to-target"), target);
        Path linkToStaging = Files.createSymbolicLink(work.resolve("link-to-staging"), staging);
        assertThat(refused(() -> unpublish(node, id, linkToTarget)).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused(() -> unpublish(node, id, linkedParent.resolve("pod/mount"))).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused(() -> unstage(node, id, linkToStaging)).getStatus().getCode())
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(MountTable.read().isMountPoint(target)).isTrue();
        assertThat(MountTable.read().isMountPoint(staging)).isTrue();
        unpublish(node, id, target);
        unstage(node, id, staging);
        assertThat(target).doesNotExist();
        delete(controller, id);
    }

    @Test
    void aMountTheDriverDidNotMakeIsFailedPrecondition() throws Exception {
        VolumeCapability capability = mount("ext4");
        String id = volume(capability);
        Path staging = Files.createDirectory(work.resolve("staging"));
        Path foreign = Files.createDirectories(work.resolve("pod/mount"));
        Mount.mount("tmpfs", staging, "tmpfs", Set.of(), "size=1m");
        Mount.mount("tmpfs", foreign, "tmpfs", Set.of(), "size=1m");

        StatusRuntimeException e = refused(() -> stage(node, id, staging, capability));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription()).contains("tmpfs");
        assertThat(loopsUnder(driver.dataDir())).isEmpty();
        Mount.unmount(staging, false);

        stage(node, id, staging, capability);
        assertThat(refused(() -> publish(node, id, staging, foreign, capability)).getStatus().getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(mountsUnder(foreign)).singleElement().satisfies(m -> assertThat(m.fsType()).isEqualTo("tmpfs"));
        Mount.unmount(foreign, false);
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void aTargetSwappedForASymlinkDuringPublishAndUnpublishNeverReachesTheDecoy() throws Exception {
        VolumeCapability capability = mount("ext4");
        String id = volume(capability);
        Path staging = work.resolve("staging");
        stage(node, id, staging, capability);
        Path target = Files.createDirectories(work.resolve("pod/mount"));
        // Unpublish may also meet its mount busy (FAILED_PRECONDITION, seen now and then under the race;
        // the cause is not pinned down): what this test proves is that the decoy is never reached.
        PathSwapper.race(target, work, () -> publish(node, id, staging, target, capability), () -> unpublish(node, id, target),
                Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION),
                Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION), LocalMountPointsIT::driverLog);
        unpublish(node, id, target);
        unstage(node, id, staging);
        delete(controller, id);
    }

    @Test
    void aStagingPathSwappedForASymlinkDuringStageAndUnstageNeverReachesTheDecoy() throws Exception {
        VolumeCapability capability = mount("ext4");
        String id = volume(capability);
        Path staging = Files.createDirectories(work.resolve("plugin/staging"));
        // ABORTED: a loop device that a mount taken down behind the driver's back still holds a moment.
        PathSwapper.race(staging, work, () -> stage(node, id, staging, capability), () -> unstage(node, id, staging),
                Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION, Status.Code.ABORTED),
                Set.of(Status.Code.INVALID_ARGUMENT), LocalMountPointsIT::driverLog);
        unstage(node, id, staging);
        delete(controller, id);
    }

    /** The end of the driver's log: what an unexpected answer was about. */
    private static String driverLog() {
        String log = driver.driver().output();
        return "\n--- driver log (end) ---\n" + log.substring(Math.max(0, log.length() - 4000));
    }
}
