package io.csi4j.driver;

import static io.csi4j.driver.NodeCalls.create;
import static io.csi4j.driver.NodeCalls.delete;
import static io.csi4j.driver.NodeCalls.mount;
import static io.csi4j.driver.NodeCalls.stage;
import static io.csi4j.driver.NodeCalls.unpublish;
import static io.csi4j.driver.NodeCalls.unstage;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.ControllerGrpc;
import csi.v1.NodeGrpc;
import csi.v1.VolumeCapability;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountTable;
import io.csi4j.testing.CsiDriverExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NodeUnpublishVolume of what this driver never published, through the driver's socket: the spec
 * lets the SP delete only the file or directory it created, so an unknown volume, or a target not
 * recorded for the volume, is OK and nothing there is removed or unmounted.
 */
class LocalNodeUnpublishIT {

    private static final long MiB = 1L << 20;

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @RegisterExtension
    final NodeWorkspace workspace = new NodeWorkspace(driver);

    @Test
    void unpublishingAnUnknownVolumeOrAnUnrecordedTargetRemovesAndUnmountsNothing() throws Exception {
        ControllerGrpc.ControllerBlockingStub controller = driver.driver().controller();
        NodeGrpc.NodeBlockingStub node = driver.driver().node();
        Path work = workspace.dir();
        VolumeCapability capability = mount("");
        Map<String, String> directory = Map.of("type", "directory", "enforceCapacity", "false");
        Path emptyDir = Files.createDirectory(work.resolve("someones-dir"));
        Path emptyFile = Files.createFile(work.resolve("someones-file"));

        String gone = create(controller, "pvc-" + UUID.randomUUID(), 16 * MiB, capability, directory);
        delete(controller, gone);
        for (String unknown : new String[] {gone, "not-a-volume-of-this-driver"}) {
            unpublish(node, unknown, emptyDir);
            unpublish(node, unknown, emptyFile);
        }
        assertThat(emptyDir).isEmptyDirectory();
        assertThat(emptyFile).isEmptyFile();

        String id = create(controller, "pvc-" + UUID.randomUUID(), 16 * MiB, capability, directory);
        Path staging = Files.createDirectory(work.resolve("staging"));
        stage(node, id, staging, capability);
        Path byHand = Files.createDirectory(work.resolve("bound-by-hand"));
        Mount.bind(staging, byHand, Set.of());
        try {
            unpublish(node, id, emptyDir);
            unpublish(node, id, emptyFile);
            unpublish(node, id, byHand);
            assertThat(emptyDir).isEmptyDirectory();
            assertThat(emptyFile).isEmptyFile();
            assertThat(MountTable.read().isMountPoint(byHand)).as("a mount the driver did not make").isTrue();
        } finally {
            Mount.unmountIfMounted(byHand, false);
            unstage(node, id, staging);
            delete(controller, id);
        }
    }
}
