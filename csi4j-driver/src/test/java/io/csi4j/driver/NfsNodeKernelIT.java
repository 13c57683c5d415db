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
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodeGetVolumeStatsResponse;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.linux.MountInfo;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.csi4j.testing.NfsServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * NFS volumes on a node, end to end through the driver's socket, on a kernel with an NFS client:
 * these run in the test-kernel guest (this machine's kernel has none), against nfs-ganesha started
 * inside the guest on 127.0.0.1.
 */
@Tag("kernel")
class NfsNodeKernelIT {

    static Path dir;
    static NfsServer server;
    static DriverProcess driver;
    private Path work;

    @BeforeAll
    static void start() throws Exception {
        assertThat(System.getenv("CSI4J_TEST_KERNEL")).as("tests tagged \"kernel\" run inside test-kernel/run").isNotNull();
        // The JUnit launcher's own class path is not the driver's: Maven wrote that for the guest.
        Path module = Path.of("").toAbsolutePath();
        System.setProperty(DriverProcess.CLASS_PATH_PROPERTY, module.resolve("target/classes") + ":"
                + Files.readString(module.resolve("target/kernel-tests/classpath.txt")).strip());
        dir = Files.createTempDirectory("csi4j-nfs-node-");
        server = NfsServer.start(dir.resolve("server"));
        // Under emulation, and with other guests on the machine, a JVM may take minutes to serve.
        Path driverDir = dir.resolve("driver");
        Files.createDirectories(Drivers.dataDir(driverDir));
        // each test's staging and target paths are in a work directory under dir
        driver = DriverProcess.start(Drivers.socket(driverDir), Drivers.serveArgs(driverDir, "--backend", "nfs",
                "--mount-timeout", "8", "--nfs-timeout", "5", CsiDriverExtension.KUBELET_DIR, dir.toString()));
        driver.awaitReady(java.time.Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (driver != null) {
                driver.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                CsiDriverExtension.deleteTree(dir);
            }
        }
    }

    /** Fresh stubs per call: a stub's deadline counts from when it was made. */
    static ControllerGrpc.ControllerBlockingStub controller() {
        return driver.controller();
    }

    static NodeGrpc.NodeBlockingStub node() {
        return driver.node();
    }

    @BeforeEach
    void workDir() throws IOException {
        work = Files.createTempDirectory(dir, "work-");
    }

    @AfterEach
    void noMountLeft() throws IOException {
        List<MountInfo> left = mountsUnder(work);
        NodeCalls.tearDown(work, work);
        assertThat(left).as("mounts left behind").isEmpty();
    }

    static VolumeCapability v4() {
        return NodeCalls.mount("", Mode.MULTI_NODE_MULTI_WRITER, "nfsvers=4.1", "port=" + server.nfsPort());
    }

    static VolumeCapability v3() {
        return NodeCalls.mount("", Mode.MULTI_NODE_MULTI_WRITER, "nfsvers=3", "proto=tcp", "mountproto=tcp",
                "port=" + server.nfsPort(), "mountport=" + server.mountPort(), "nolock");
    }

    static String create(String name) {
        return controller().createVolume(CreateVolumeRequest.newBuilder().setName(name).addVolumeCapabilities(v4())
                .putAllParameters(Map.of("server", server.host(), "share", server.share(),
                        "port", Integer.toString(server.nfsPort()), "mountPort", Integer.toString(server.mountPort())))
                .build()).getVolume().getVolumeId();
    }

    @Test
    void anNfsVolumeIsMountedOncePerNodeAndBoundToEachTarget() throws IOException {
        for (Map.Entry<String, VolumeCapability> version : Map.of("pvc-v4", v4(), "pvc-v3", v3()).entrySet()) {
            String name = version.getKey();
            VolumeCapability capability = version.getValue();
            String id = create(name);
            Path staging = work.resolve(name + "/staging"), a = work.resolve(name + "/a"), b = work.resolve(name + "/b");
            Files.createDirectory(work.resolve(name)); // the parent, as kubelet makes it

            stage(node(), id, staging, capability);
            stage(node(), id, staging, capability);
            publish(node(), id, staging, a, capability);
            publish(node(), id, staging, b, capability);

            assertThat(mountsUnder(staging)).singleElement().satisfies(m -> {
                assertThat(m.fsType()).startsWith("nfs");
                assertThat(m.source()).isEqualTo(server.host() + ":" + server.share() + "/" + name);
            });
            // mount.nfs mounted in the driver's scratch directory; only the clone on the staging path stays.
            assertThat(mountsUnder(dir.resolve("driver/data/nfs-node"))).isEmpty();
            Files.writeString(a.resolve("from-a"), "through NFS");
            assertThat(b.resolve("from-a")).hasContent("through NFS");
            assertThat(server.exportDir().resolve(name).resolve("from-a")).hasContent("through NFS");
            NodeGetVolumeStatsResponse stats = node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                    .setVolumeId(id).setVolumePath(b.toString()).build());
            assertThat(stats.getVolumeCondition().getAbnormal()).as(stats.getVolumeCondition().getMessage()).isFalse();

            unpublish(node(), id, a);
            unpublish(node(), id, b);
            unstage(node(), id, staging);
            assertThat(mountsUnder(work.resolve(name))).isEmpty();
            controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
            assertThat(server.exportDir().resolve(name)).doesNotExist();
        }
    }

    @Test
    void aStagingPathThroughASymlinkOrOverDataGetsNoNfsMount() throws IOException {
        String id = create("pvc-paths");
        Path decoy = Files.createDirectory(work.resolve("etc"));
        Files.writeString(decoy.resolve("passwd"), "root:x:0:0");
        Path empty = Files.createDirectory(work.resolve("empty"));
        Path link = Files.createSymbolicLink(work.resolve("link"), empty);

        StatusRuntimeException linked = catchThrowableOfType(StatusRuntimeException.class, () -> stage(node(), id, link, v4()));
        assertThat(linked.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException full = catchThrowableOfType(StatusRuntimeException.class, () -> stage(node(), id, decoy, v4()));
        assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(full.getStatus().getDescription()).contains("passwd");
        assertThat(mountsUnder(work)).isEmpty();
        assertThat(mountsUnder(dir.resolve("driver/data/nfs-node"))).isEmpty();

        Path staging = work.resolve("staging");
        stage(node(), id, staging, v4());
        StatusRuntimeException target = catchThrowableOfType(StatusRuntimeException.class,
                () -> publish(node(), id, staging, link, v4()));
        assertThat(target.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(mountsUnder(empty)).isEmpty();
        unstage(node(), id, staging);
        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }

    @Test
    void aStaleMountIsReportedAndMountedAgainByTheNextPublish() throws Exception {
        String id = create("pvc-stale");
        Path staging = work.resolve("staging"), a = work.resolve("a"), b = work.resolve("b");
        stage(node(), id, staging, v4());
        publish(node(), id, staging, a, v4());
        Files.writeString(a.resolve("before"), "old");

        // The server restarts with the volume's directory removed and made anew (restored from a
        // backup, say): the handle the client holds for it is stale.
        Path volumeDir = server.exportDir().resolve("pvc-stale");
        server.stop();
        CsiDriverExtension.deleteTree(volumeDir);
        Files.createDirectory(volumeDir);
        Files.writeString(volumeDir.resolve("after"), "new");
        server.restart();

        NodeGetVolumeStatsResponse stats = node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(id).setVolumePath(staging.toString()).build());
        assertThat(stats.getVolumeCondition().getAbnormal()).isTrue();
        assertThat(stats.getVolumeCondition().getMessage()).contains("stale");

        publish(node(), id, staging, b, v4());
        assertThat(b.resolve("after")).hasContent("new");
        stats = node().nodeGetVolumeStats(NodeGetVolumeStatsRequest.newBuilder()
                .setVolumeId(id).setVolumePath(staging.toString()).build());
        assertThat(stats.getVolumeCondition().getAbnormal()).isFalse();

        unpublish(node(), id, a);
        unpublish(node(), id, b);
        unstage(node(), id, staging);
        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }

    @Test
    void aServerThatDoesNotAnswerIsUnavailableAndLeavesNoMountAndNoHelper() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String id = "nfs1#127.0.0.1#/export#pvc-silent#0#0#delete#0123456789abcdef";
            Path staging = work.resolve("staging");
            long start = System.nanoTime();
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> stage(node(), id, staging,
                    NodeCalls.mount("", Mode.MULTI_NODE_MULTI_WRITER, "nfsvers=4.1", "port=" + silent.getLocalPort())));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;

            assertThat(e.getStatus().getCode()).as(e.getStatus().getDescription()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(seconds).isLessThan(60);
            assertThat(mountsUnder(work)).isEmpty();
            assertThat(ProcessHandle.allProcesses().map(p -> p.info().command().orElse(""))
                    .filter(c -> c.endsWith("mount.nfs"))).isEmpty();
        }
    }

    @Test
    void anExportWithoutNfsv3IsProvisionedThroughAMountOfIt() throws Exception {
        try (NfsServer v4only = NfsServer.start(dir.resolve("v4-only"), false)) {
            String id = controller().createVolume(CreateVolumeRequest.newBuilder().setName("pvc-v4only")
                    .addVolumeCapabilities(v4()).putAllParameters(Map.of("server", v4only.host(), "share", v4only.share(),
                            "port", Integer.toString(v4only.nfsPort())))
                    .build()).getVolume().getVolumeId();

            assertThat(v4only.exportDir().resolve("pvc-v4only")).isDirectory();
            Path mounts = dir.resolve("driver/data/nfs-mounts");
            assertThat(mountsUnder(mounts)).singleElement()
                    .satisfies(m -> assertThat(m.source()).isEqualTo(v4only.host() + ":" + v4only.share()));
            controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
            assertThat(v4only.exportDir().resolve("pvc-v4only")).doesNotExist();
        }
    }

    @Test
    void aPathTheServerDoesNotExportIsPermissionDenied() {
        String id = "nfs1#127.0.0.1#/not/exported#pvc#0#0#delete#0123456789abcdef";
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> stage(node(), id, work.resolve("staging"), v3()));
        assertThat(e.getStatus().getCode()).as(e.getStatus().getDescription()).isEqualTo(Status.Code.PERMISSION_DENIED);
    }
}
