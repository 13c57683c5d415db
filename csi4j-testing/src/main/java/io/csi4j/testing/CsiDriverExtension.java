package io.csi4j.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs one real driver for a test class: {@code csi4j serve} in its own JVM, socket and data in a
 * fresh temporary directory, stopped with SIGTERM and the directory removed afterwards. Node paths
 * are bounded as on a real node: {@code --kubelet-dir} is {@link #kubeletDir()}, a directory of
 * its own for the tests' staging and target paths, unless the extra arguments name one.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CsiDriverExtension driver = CsiDriverExtension.serving("--mode", "node");
 * }</pre>
 */
public final class CsiDriverExtension implements BeforeAllCallback, AfterAllCallback {

    /** The flag that bounds node paths; without it the driver takes only paths under /var/lib/kubelet. */
    public static final String KUBELET_DIR = "--kubelet-dir";

    private final List<String> extraArgs;
    private final boolean boundToKubeletDir;
    private Path dir;
    private DriverProcess process;

    private CsiDriverExtension(List<String> extraArgs, boolean boundToKubeletDir) {
        this.extraArgs = List.copyOf(extraArgs);
        this.boundToKubeletDir = boundToKubeletDir;
    }

    /**
     * A driver started with {@code serve --endpoint <temp socket> --data-dir <temp dir>
     * [--kubelet-dir <temp dir>] <extraArgs>}.
     */
    public static CsiDriverExtension serving(String... extraArgs) {
        return new CsiDriverExtension(List.of(extraArgs), true);
    }

    /** A driver on the default bound of its node paths (no {@code --kubelet-dir}), as an operator starts it. */
    public static CsiDriverExtension servingOnTheDefaultKubeletDir(String... extraArgs) {
        return new CsiDriverExtension(List.of(extraArgs), false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("csi4j-test-");
        Files.createDirectory(dataDir());
        Files.createDirectory(kubeletDir());
        List<String> args = new ArrayList<>(List.of("serve", "--endpoint", "unix://" + socket(),
                "--data-dir", dataDir().toString(), "--node-id", "test-node", "--shutdown-grace", "5"));
        if (boundToKubeletDir && !extraArgs.contains(KUBELET_DIR)) {
            args.addAll(List.of(KUBELET_DIR, kubeletDir().toString()));
        }
        args.addAll(extraArgs);
        process = DriverProcess.start(socket(), args); // assigned first: afterAll stops it even if it never serves
        process.awaitReady(Duration.ofSeconds(60));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (process != null) {
                process.close();
            }
        } finally {
            deleteTree(dir);
        }
    }

    public DriverProcess driver() {
        return process;
    }

    public Path socket() {
        return dir.resolve("csi.sock");
    }

    public Path dataDir() {
        return dir.resolve("data");
    }

    /** Where this driver's node calls may put staging and target paths (unless the test named another). */
    public Path kubeletDir() {
        return dir.resolve("kubelet");
    }

    /** Removes a directory tree; missing is fine. */
    public static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
