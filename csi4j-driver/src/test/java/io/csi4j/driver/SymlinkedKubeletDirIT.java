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
import io.csi4j.linux.MountTable;
import io.csi4j.testing.CsiDriverExtension;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A kubelet directory behind a symbolic link ({@code /var/lib/kubelet -> /data/kubelet}, a common
 * layout): the CO's paths under the link are served at the real location; a link below the
 * kubelet directory is still refused.
 */
class SymlinkedKubeletDirIT {

    static final Path ROOT = SharedPathNodeIT.tempDir();
    static final Path REAL = directory(ROOT.resolve("data-kubelet"));
    static final Path LINK = link(ROOT.resolve("kubelet"), REAL);

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving("--backend", "nfs",
            "--shared-path-root", ROOT.toString(), CsiDriverExtension.KUBELET_DIR, LINK.toString());

    @AfterAll
    static void removeRoot() throws IOException {
        try {
            NodeCalls.tearDown(REAL, REAL);
        } finally {
            CsiDriverExtension.deleteTree(ROOT);
        }
    }

    private static Path directory(Path dir) {
        try {
            return Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path link(Path link, Path to) {
        try {
            return Files.createSymbolicLink(link, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static VolumeCapability rwx() {
        return NodeCalls.mount("", Mode.MULTI_NODE_MULTI_WRITER);
    }

    @Test
    void pathsUnderASymlinkedKubeletDirAreServedAtItsRealLocationAndALinkBelowItIsStillRefused() throws IOException {
        Path shared = Files.createDirectory(ROOT.resolve("shared"));
        ControllerGrpc.ControllerBlockingStub controller = driver.driver().controller();
        NodeGrpc.NodeBlockingStub node = driver.driver().node();
        String id = controller.createVolume(CreateVolumeRequest.newBuilder().setName("pvc-linked").addVolumeCapabilities(rwx())
                .putParameters("sharedPath", shared.toString()).build()).getVolume().getVolumeId();
        try {
            Files.createDirectories(REAL.resolve("plugins/pv"));
            Files.createDirectories(REAL.resolve("pods/uid"));
            Path staging = LINK.resolve("plugins/pv/globalmount"), target = LINK.resolve("pods/uid/mount");

            stage(node, id, staging, rwx());
            publish(node, id, staging, target, rwx());
            assertThat(MountTable.read().isMountPoint(REAL.toRealPath().resolve("pods/uid/mount"))).isTrue();
            Files.writeString(target.resolve("through-the-link"), "ok");
            assertThat(shared.resolve("pvc-linked/through-the-link")).hasContent("ok");

            Files.createSymbolicLink(REAL.resolve("evil"), REAL.resolve("pods"));
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> publish(node, id, staging, LINK.resolve("evil/uid/other"), rwx()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(REAL.resolve("pods/uid/other")).doesNotExist();

            unpublish(node, id, target);
            unstage(node, id, staging);
            assertThat(mountsUnder(REAL.toRealPath())).isEmpty();
            assertThat(REAL.resolve("pods/uid/mount")).doesNotExist();
        } finally {
            NodeCalls.tearDown(REAL.toRealPath(), REAL.toRealPath());
            controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        }
    }
}
