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
 * fresh temporary directory, stopped with SIGTERM and the directory removed afterwards.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CsiDriverExtension driver = CsiDriverExtension.serving("--mode", "node");
 * }</pre>
 */
public final class CsiDriverExtension implements BeforeAllCallback, AfterAllCallback {

    private final List<String> extraArgs;
    private Path dir;
    private DriverProcess process;

    private CsiDriverExtension(List<String> extraArgs) {
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** A driver started with {@code serve --endpoint <temp socket> --data-dir <temp dir> <extraArgs>}. */
    public static CsiDriverExtension serving(String... extraArgs) {
        return new CsiDriverExtension(List.of(extraArgs));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("csi4j-test-");
        Files.createDirectory(dataDir());
        List<String> args = new ArrayList<>(List.of("serve", "--endpoint", "unix://" + socket(),
                "--data-dir", dataDir().toString(), "--node-id", "test-node", "--shutdown-grace", "5"));
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
