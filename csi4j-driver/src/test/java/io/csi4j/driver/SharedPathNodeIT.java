package io.csi4j.driver;

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
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGetVolumeStatsResponse;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared-path volumes end to end on this machine, through the driver's socket: a directory stands
 * for the filesystem an administrator mounts at the same path on every node (CephFS, an NFS autofs
 * mount, ...); stage binds the volume's subdirectory, publish binds the staging path to each target.
 */
class SharedPathNodeIT {

    /** The one directory the driver lets sharedPath volumes live under; each test works below it. */
    static final Path ROOT = tempDir();

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving("--backend", "nfs",
            "--shared-path-root", ROOT.toString(), CsiDriverExtension.KUBELET_DIR, ROOT.toString());

    static Path tempDir() {
        try {
            return Files.createTempDirectory("csi4j-shared-root-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeRoot() throws IOException {
        CsiDriverExtension.deleteTree(ROOT);
    }

    private Path work;
    private Path shared;
    private ControllerGrpc.ControllerBlockingStub controller;
    private NodeGrpc.NodeBlockingStub node;

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createTempDirectory(ROOT, "work-");
        shared = Files.createDirectory(work.resolve("shared"));
        controller = driver.driver().controller();
        node = driver.driver().node();
    }

    @AfterEach
    void noMountLeft() throws IOException {
        var left = mountsUnder(work);
        NodeCalls.tearDown(work, work);
        CsiDriverExtension.deleteTree(work);
        assertThat(left).as("mounts left behind").isEmpty();
    }

    private static VolumeCapability rwx() {
        return NodeCalls.mount("", Mode.MULTI_NODE_MULTI_WRITER);
    }

    private String create(String name) {
        return controller.createVolume(CreateVolumeRequest.newBuilder().setName(name).addVolumeCapabilities(rwx())
                .putParameters("sharedPath", shared.toString()).build()).getVolume().getVolumeId();
    }

    @Test
    void aVolumeStagedOncePublishedTwiceSeesItsOwnWritesFromEitherTarget() throws IOException {
        String id = create("pvc-shared");
        Path staging = work.resolve("staging"), a = work.resolve("pod-a/mount"), b = work.resolve("pod-b/mount");
        Files.createDirectory(a.getParent()); // the parents, as kubelet makes them
        Files.createDirectory(b.getParent());

        stage(node, id, staging, rwx());
        stage(node, id, staging, rwx()); // a repeat finds it staged
        publish(node, id, staging, a, rwx());
        publish(node, id, staging, b, rwx());
        publish(node, id, staging, b, rwx());

        Files.writeString(a.resolve("from-a"), "written in pod a");
        Files.writeString(b.resolve("from-b"), "written in pod b");
        assertThat(b.resolve("from-a")).hasContent("written in pod a");
        assertThat(a.resolve("from-b")).hasContent("written in pod b");
        assertThat(shared.resolve("pvc-shared/from-a")).exists(); // the data lives on the shared filesystem

        NodeGetVolumeStatsResponse stats = node.nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(id).setVolumePath(a.toString()).build());
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();
        assertThat(stats.getUsage(0).getTotal()).isPositive();

        unpublish(node, id, a);
        unpublish(node, id, b);
        unpublish(node, id, b);
        unstage(node, id, staging);
        unstage(node, id, staging);
        assertThat(mountsUnder(work)).isEmpty();
        assertThat(a).doesNotExist();

        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        assertThat(shared.resolve("pvc-shared")).doesNotExist();
    }

    @Test
    void aReadOnlyPublicationRefusesWritesAndAReadWriteOneAtTheSameTargetConflicts() throws IOException {
        String id = create("pvc-ro");
        Path staging = work.resolve("staging"), target = work.resolve("pod/mount");
        Files.createDirectory(target.getParent()); // the parent, as kubelet makes it
        stage(node, id, staging, rwx());
        node.nodePublishVolume(publishRequest(id, staging, target, rwx()).setReadonly(true).build());

        assertThatThrownBy(() -> Files.writeString(target.resolve("x"), "no"))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("Read-only file system");
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> publish(node, id, staging, target, rwx()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);

        unpublish(node, id, target);
        unstage(node, id, staging);
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }

    @Test
    void badRequestsGetTheirCodeAndTouchNothing() throws IOException {
        String id = create("pvc-bad");
        Path staging = work.resolve("staging"), target = work.resolve("pod/mount");
        Files.createDirectory(target.getParent()); // the parent, as kubelet makes it

        StatusRuntimeException unstaged = catchThrowableOfType(StatusRuntimeException.class,
                () -> publish(node, id, staging, target, rwx()));
        assertThat(unstaged.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        StatusRuntimeException block = catchThrowableOfType(StatusRuntimeException.class,
                () -> stage(node, id, staging, NodeCalls.block()));
        assertThat(block.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
                () -> stage(node, "path1#" + shared + "#missing#delete#0123456789abcdef", staging, rwx()));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException foreign = catchThrowableOfType(StatusRuntimeException.class,
                () -> stage(node, "l1.0123.node", staging, rwx()));
        assertThat(foreign.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        // A path outside the configured roots is never bound into a pod, nor made on the controller.
        StatusRuntimeException outside = catchThrowableOfType(StatusRuntimeException.class,
                () -> stage(node, "path1#/#etc#delete#0123456789abcdef", staging, rwx()));
        assertThat(outside.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException outsideClass = catchThrowableOfType(StatusRuntimeException.class,
                () -> controller.createVolume(CreateVolumeRequest.newBuilder().setName("pvc-etc").addVolumeCapabilities(rwx())
                        .putParameters("sharedPath", "/etc").build()));
        assertThat(outsideClass.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(Path.of("/etc/pvc-etc")).doesNotExist();
        assertThat(mountsUnder(work)).isEmpty();
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }

    @Test
    void theClientDrivesASharedPathVolumeByHand() throws IOException {
        Path staging = work.resolve("st"), target = work.resolve("pod-vol");
        DriverProcess.Result create = csi4j("controller", "create-volume", "pvc-cli", "--param", "sharedPath=" + shared,
                "--access-mode", "multi-node-multi-writer");
        assertThat(create.exitCode()).as(create.stderr()).isZero();
        String id = create.stdout().lines().findFirst().orElseThrow().substring("volume id: ".length());
        assertThat(create.stdout()).contains("capacityEnforced: false");

        for (List<String> command : List.of(
                List.of("node", "stage", id, "--staging-path", staging.toString()),
                List.of("node", "publish", id, "--staging-path", staging.toString(), "--target-path", target.toString()),
                List.of("node", "stats", id, "--path", target.toString()),
                List.of("node", "unpublish", id, "--target-path", target.toString()),
                List.of("node", "unstage", id, "--staging-path", staging.toString()),
                List.of("controller", "delete-volume", id))) {
            DriverProcess.Result result = csi4j(command.toArray(String[]::new));
            assertThat(result.exitCode()).as(command + ": " + result.stderr()).isZero();
        }
        assertThat(shared.resolve("pvc-cli")).doesNotExist();
    }

    private static DriverProcess.Result csi4j(String... command) {
        List<String> args = new java.util.ArrayList<>(List.of("--endpoint", "unix://" + driver.socket()));
        args.addAll(List.of(command));
        return DriverProcess.run(args, Drivers.RUN);
    }
}
