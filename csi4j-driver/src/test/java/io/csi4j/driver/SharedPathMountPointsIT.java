package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.mountsUnder;
import static io.csi4j.driver.NodeCalls.publish;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountTable;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile staging and target paths for shared-path volumes, through the driver's socket: a path
 * is taken only as kubelet would give it (an empty directory, or one not there yet), never through
 * a symbolic link, never over data or over a mount that is not the volume's own.
 */
class SharedPathMountPointsIT {

    static final Path ROOT = SharedPathNodeIT.tempDir();

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving("--backend", "nfs",
            "--shared-path-root", ROOT.toString(), CsiDriverExtension.KUBELET_DIR, ROOT.toString());

    @AfterAll
    static void removeRoot() throws IOException {
        CsiDriverExtension.deleteTree(ROOT);
    }

    private Path work, shared, decoy;
    private ControllerGrpc.ControllerBlockingStub controller;
    private NodeGrpc.NodeBlockingStub node;
    private String id;

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createTempDirectory(ROOT, "work-");
        shared = Files.createDirectory(work.resolve("shared"));
        // Stands for /etc: a directory with content that a hostile request names as its mount point.
        decoy = Files.createDirectory(work.resolve("etc"));
        Files.writeString(decoy.resolve("passwd"), "root:x:0:0");
        Files.writeString(decoy.resolve("hosts"), "127.0.0.1 localhost");
        controller = driver.driver().controller();
        node = driver.driver().node();
        id = controller.createVolume(CreateVolumeRequest.newBuilder().setName("pvc-paths").addVolumeCapabilities(rwx())
                .putParameters("sharedPath", shared.toString()).build()).getVolume().getVolumeId();
    }

    @AfterEach
    void noMountLeft() throws IOException {
        var left = mountsUnder(work);
        NodeCalls.tearDown(work, work);
        try {
            controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        } finally {
            CsiDriverExtension.deleteTree(work);
        }
        assertThat(left).as("mounts left behind").isEmpty();
    }

    private static VolumeCapability rwx() {
        return NodeCalls.mount("", Mode.MULTI_NODE_MULTI_WRITER);
    }

    private static Status.Code code(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e.getStatus().getCode();
    }

    private static String message(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run).getStatus().getDescription();
    }

    private void assertDecoyUntouched() throws IOException {
        assertThat(MountTable.read().isMountPoint(decoy)).as("the decoy got a mount").isFalse();
        try (var listed = Files.list(decoy)) {
            assertThat(listed.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("passwd", "hosts");
        }
    }

    @Test
    void aStagingOrTargetPathThatHoldsDataIsFailedPreconditionNamingWhatIsThere() throws IOException {
        assertThat(code(() -> stage(node, id, decoy, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(message(() -> stage(node, id, decoy, rwx()))).contains("not empty").contains("passwd").contains("hosts");

        Path staging = work.resolve("staging");
        stage(node, id, staging, rwx());
        assertThat(code(() -> publish(node, id, staging, decoy, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(message(() -> publish(node, id, staging, decoy, rwx()))).contains("passwd");
        assertDecoyUntouched();
        unstage(node, id, staging);
        assertThat(mountsUnder(work)).isEmpty();
    }

    @Test
    void aPathThroughASymlinkIsInvalidArgumentAndTheLinksDestinationGetsNothing() throws IOException {
        Path staging = work.resolve("staging");
        Path linkToDecoy = Files.createSymbolicLink(work.resolve("link-to-etc"), decoy);
        Path emptyDir = Files.createDirectory(work.resolve("empty"));
        Path linkToEmpty = Files.createSymbolicLink(work.resolve("link-to-empty"), emptyDir);
        Path linkedParent = Files.createSymbolicLink(work.resolve("linked-parent"), work);

        assertThat(code(() -> stage(node, id, linkToDecoy, rwx()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> stage(node, id, linkToEmpty, rwx()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> stage(node, id, linkedParent.resolve("staging"), rwx()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(staging).doesNotExist(); // not made through the link either

        stage(node, id, staging, rwx());
        assertThat(code(() -> publish(node, id, staging, linkToEmpty, rwx()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> publish(node, id, staging, linkedParent.resolve("pod/mount"), rwx())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> publish(node, id, linkedParent.resolve("staging"), work.resolve("pod/mount"), rwx())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(work.resolve("pod")).doesNotExist();
        assertThat(MountTable.read().isMountPoint(emptyDir)).isFalse();
        assertDecoyUntouched();
        assertThat(mountsUnder(work)).singleElement().satisfies(m -> assertThat(m.mountPoint()).isEqualTo(staging));
        unstage(node, id, staging);
    }

    @Test
    void unpublishAndUnstageThroughASymlinkUnmountAndRemoveNothing() throws IOException {
        Path staging = work.resolve("staging"), target = work.resolve("pod/mount");
        Files.createDirectory(target.getParent()); // the parent, as kubelet makes it
        stage(node, id, staging, rwx());
        publish(node, id, staging, target, rwx());
        Path linkToTarget = Files.createSymbolicLink(work.resolve("link-to-target"), target);
        Path linkToStaging = Files.createSymbolicLink(work.resolve("link-to-staging"), staging);
        Path linkedParent = Files.createSymbolicLink(work.resolve("linked-pod"), target.getParent());

        assertThat(code(() -> unpublish(node, id, linkToTarget))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> unpublish(node, id, linkedParent.resolve("mount")))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> unstage(node, id, linkToStaging))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(MountTable.read().isMountPoint(target)).as("the target stays published").isTrue();
        assertThat(MountTable.read().isMountPoint(staging)).as("the volume stays staged").isTrue();
        assertThat(linkToTarget).isSymbolicLink();

        unpublish(node, id, target);
        unstage(node, id, staging);
        assertThat(target).doesNotExist();
        assertThat(mountsUnder(work)).isEmpty();
    }

    @Test
    void aMountTheDriverDidNotMakeIsFailedPreconditionUnlessItIsTheVolumesOwn() throws Exception {
        Path staging = Files.createDirectory(work.resolve("staging"));
        Path foreign = Files.createDirectory(work.resolve("foreign"));
        Mount.mount("tmpfs", staging, "tmpfs", Set.of(), "size=1m");
        Mount.mount("tmpfs", foreign, "tmpfs", Set.of(), "size=1m");

        assertThat(code(() -> stage(node, id, staging, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(message(() -> stage(node, id, staging, rwx()))).contains("tmpfs");
        Mount.unmount(staging, false);

        stage(node, id, staging, rwx());
        stage(node, id, staging, rwx()); // its own earlier mount: a repeat
        assertThat(code(() -> publish(node, id, staging, foreign, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(MountTable.read().find(foreign).orElseThrow().fsType()).isEqualTo("tmpfs"); // nothing stacked on it
        // A publication's own target (a bind of the staging mount) is a repeat, not foreign.
        Path target = Files.createDirectory(work.resolve("pod")).resolve("mount");
        publish(node, id, staging, target, rwx());
        publish(node, id, staging, target, rwx());
        assertThat(mountsUnder(target)).hasSize(1);

        // A mount of something else at the volume's target (a bind of another directory) is foreign too.
        Path other = Files.createDirectory(work.resolve("other"));
        Path second = Files.createDirectories(work.resolve("pod2/mount"));
        Mount.bind(other, second, false);
        assertThat(code(() -> publish(node, id, staging, second, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        Mount.unmount(second, false);
        Mount.unmount(foreign, false);

        unpublish(node, id, target);
        unstage(node, id, staging);
        assertThat(mountsUnder(work)).isEmpty();
    }

    /**
     * Unpublish and unstage of a path where something else is mounted (another driver's volume,
     * a bind of another directory of the same filesystem) detach nothing and remove nothing; an
     * empty directory with nothing mounted is an unpublish done before, a non-empty one stays.
     */
    @Test
    void unpublishAndUnstageLeaveAMountThatIsNotTheVolumesAndItsDirectory() throws Exception {
        Path otherDriver = Files.createDirectories(work.resolve("pods/uid/volumes/kubernetes.io~csi/other-pv/mount"));
        Path otherStaging = Files.createDirectories(work.resolve("plugins/other/globalmount"));
        Path otherDir = Files.createDirectory(work.resolve("other"));
        Path otherBind = Files.createDirectories(work.resolve("pods/uid2/mount"));
        Mount.mount("tmpfs", otherDriver, "tmpfs", Set.of(), "size=1m");
        Mount.mount("tmpfs", otherStaging, "tmpfs", Set.of(), "size=1m");
        Mount.bind(otherDir, otherBind, false);
        try {
            for (Path foreign : new Path[] {otherDriver, otherStaging, otherBind}) {
                assertThat(code(() -> unpublish(node, id, foreign))).as("unpublish %s", foreign)
                        .isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(code(() -> unstage(node, id, foreign))).as("unstage %s", foreign)
                        .isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(MountTable.read().isMountPoint(foreign)).as("%s stays mounted", foreign).isTrue();
            }
            assertThat(message(() -> unpublish(node, id, otherDriver))).contains("tmpfs");
            assertThat(MountTable.read().find(otherBind).orElseThrow().root()).endsWith("/other");
        } finally {
            Mount.unmount(otherDriver, false);
            Mount.unmount(otherStaging, false);
            Mount.unmount(otherBind, false);
        }
        Path empty = Files.createDirectories(work.resolve("pods/uid3/mount"));
        unpublish(node, id, empty);
        assertThat(empty).doesNotExist();
        Path full = Files.createDirectories(work.resolve("pods/uid4/mount"));
        Files.writeString(full.resolve("data"), "kept");
        unpublish(node, id, full);
        unstage(node, id, full);
        assertThat(full.resolve("data")).hasContent("kept");
    }

    /**
     * A hostile CO swaps the target between a directory and a symlink to a mounted decoy while it
     * publishes and unpublishes: the decoy is never mounted over, never unmounted, never emptied.
     */
    @Test
    void aTargetSwappedForASymlinkDuringPublishAndUnpublishNeverReachesTheDecoy() throws Exception {
        Path staging = work.resolve("staging");
        stage(node, id, staging, rwx());
        Path target = Files.createDirectories(work.resolve("pod/mount"));
        race(target, () -> publish(node, id, staging, target, rwx()), () -> unpublish(node, id, target));
        unstage(node, id, staging);
    }

    /** The same race on the staging path, with stage and unstage. */
    @Test
    void aStagingPathSwappedForASymlinkDuringStageAndUnstageNeverReachesTheDecoy() throws Exception {
        Path staging = Files.createDirectories(work.resolve("plugin/staging"));
        race(staging, () -> stage(node, id, staging, rwx()), () -> unstage(node, id, staging));
    }

    private void race(Path path, Runnable mount, Runnable unmount) throws Exception {
        PathSwapper.race(path, work, mount, unmount, Set.of(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION),
                Set.of(Status.Code.INVALID_ARGUMENT), SharedPathMountPointsIT::driverLog);
    }

    /** The end of the driver's log: what an INTERNAL answer was about. */
    private static String driverLog() {
        String log = driver.driver().output();
        return "\n--- driver log (end) ---\n" + log.substring(Math.max(0, log.length() - 4000));
    }

    @Test
    void aPathWhoseParentIsMissingIsFailedPreconditionNamingItAndNothingIsMade() throws IOException {
        Path staging = work.resolve("plugin/staging"), target = work.resolve("pod/mount");
        assertThat(code(() -> stage(node, id, staging, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(message(() -> stage(node, id, staging, rwx()))).contains(work.resolve("plugin").toString());
        Path made = work.resolve("staging");
        stage(node, id, made, rwx()); // an existing parent: the last component is made
        assertThat(code(() -> publish(node, id, made, target, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(message(() -> publish(node, id, made, target, rwx()))).contains(work.resolve("pod").toString());
        assertThat(work.resolve("plugin")).doesNotExist();
        assertThat(work.resolve("pod")).doesNotExist();
        unstage(node, id, made);
    }

    @Test
    void aStagingPathThatIsAFileIsFailedPrecondition() throws IOException {
        Path file = Files.writeString(work.resolve("file"), "");
        assertThat(code(() -> stage(node, id, file, rwx()))).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(message(() -> stage(node, id, file, rwx()))).contains("not a directory");
        assertThat(mountsUnder(work)).isEmpty();
    }
}
