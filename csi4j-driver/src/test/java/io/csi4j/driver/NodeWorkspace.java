package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.MountInfo;
import io.csi4j.testing.CsiDriverExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh directory per test for staging and target paths, inside the driver's kubelet directory
 * (the bound it puts on node paths); after the test, whatever it left
 * mounted there, or attached from the driver's data directory, is removed (also when the test
 * failed) and then fails the test: no test may leave a mount or a loop device behind.
 */
final class NodeWorkspace implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<Path> dataDir;
    private final Supplier<Path> kubeletDir;
    private Path dir;

    NodeWorkspace(CsiDriverExtension driver) {
        this(driver::kubeletDir, driver::dataDir);
    }

    /** For a driver the test starts itself: workspaces under {@code kubeletDir}, its data in {@code dataDir}. */
    NodeWorkspace(Supplier<Path> kubeletDir, Supplier<Path> dataDir) {
        this.dataDir = dataDir;
        this.kubeletDir = kubeletDir;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory(kubeletDir.get(), "node-");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        List<MountInfo> mounts = NodeCalls.mountsUnder(dir);
        List<LoopDevice> loops = NodeCalls.loopsUnder(dataDir.get());
        NodeCalls.tearDown(dir, dataDir.get());
        CsiDriverExtension.deleteTree(dir);
        assertThat(mounts).as("mounts left under the test's directory").isEmpty();
        assertThat(loops).as("loop devices left on the data directory").isEmpty();
    }
}
