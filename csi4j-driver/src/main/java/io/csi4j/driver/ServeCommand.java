package io.csi4j.driver;

import ch.qos.logback.classic.Level;
import io.csi4j.backend.local.LocalBackend;
import io.csi4j.backend.nfs.NfsBackend;
import io.csi4j.server.CsiServer;
import io.csi4j.server.config.DriverName;
import io.csi4j.server.config.Mode;
import io.csi4j.server.config.NodeIdentity;
import io.csi4j.server.config.ServerConfig;
import io.csi4j.server.endpoint.Endpoint;
import io.csi4j.server.endpoint.SocketFile;
import io.csi4j.server.metrics.DriverMetrics;
import io.csi4j.server.metrics.MetricsAddress;
import io.csi4j.server.metrics.MetricsServer;
import io.csi4j.linux.ToolRuns;
import io.csi4j.spi.Readiness;
import io.csi4j.spi.StorageBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code csi4j serve}: serves CSI until SIGTERM or SIGINT, then stops accepting calls, lets
 * in-flight ones finish within the grace period, removes its socket and exits 0. Every flag is
 * checked before anything is created, so bad input leaves nothing behind.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve CSI on an endpoint until SIGTERM or SIGINT.")
final class ServeCommand implements Callable<Integer> {

    /** Log levels the driver accepts. */
    enum LogLevel { error, warn, info, debug, trace }

    /** The backends one serve process can run (one each). */
    enum Backend { local, nfs }

    @ParentCommand
    Csi4j root;

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Where to listen: unix:///abs/path or tcp://host:port (default: the root --endpoint, "
                    + "$CSI_ENDPOINT, or unix://<state dir>/csi.sock).")
    String endpoint;

    @Option(names = "--node-id", paramLabel = "ID", description = "This node's CSI node ID (default: the host name).")
    String nodeId = Defaults.nodeId();

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory of the local backend's volumes and records; with --backend nfs, where the "
                    + "controller mounts exports it cannot reach without a mount (default: ${DEFAULT-VALUE}). One driver per "
                    + "data directory: serve holds DIR/.lock while it runs.")
    Path dataDir = Defaults.dataDir();

    @Option(names = "--mode", defaultValue = "all", paramLabel = "MODE",
            description = "CSI services to serve: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--backend", defaultValue = "local", paramLabel = "BACKEND",
            description = "Where volumes live: local (this node's data directory) or nfs (subdirectories of NFS "
                    + "exports or of a path mounted on every node) (default: ${DEFAULT-VALUE}).")
    Backend backend;

    @Option(names = "--driver-name", paramLabel = "NAME",
            description = "The name reported by GetPluginInfo (default: local.csi4j.io, or nfs.csi4j.io with --backend nfs).")
    String driverName;

    @Option(names = "--nfs-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "nfs backend: how long one call to an NFS server may wait (default: ${DEFAULT-VALUE}).")
    int nfsTimeoutSeconds;

    @Option(names = "--shared-path-root", paramLabel = "DIR",
            description = "nfs backend: a directory under which sharedPath volumes may live (repeatable); "
                    + "without one, sharedPath volumes are refused.")
    java.util.List<Path> sharedPathRoots = new java.util.ArrayList<>();

    @Option(names = "--mount-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "nfs backend: how long a node's NFS mount may take before it is abandoned "
                    + "(UNAVAILABLE; default: ${DEFAULT-VALUE}).")
    int mountTimeoutSeconds;

    @Option(names = "--log-level", defaultValue = "info", paramLabel = "LEVEL",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); debug shows requests, secrets redacted.")
    LogLevel logLevel;

    @Option(names = "--log-format", defaultValue = "text", paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Logging.Format logFormat;

    @Option(names = "--socket-mode", defaultValue = "0660", paramLabel = "OCTAL",
            description = "Permissions of the unix socket file (default: ${DEFAULT-VALUE}).")
    String socketMode;

    /** Where kubelet keeps its staging and target paths; the node service refuses paths elsewhere. */
    static final Path DEFAULT_KUBELET_DIR = Path.of("/var/lib/kubelet");

    @Option(names = "--kubelet-dir", paramLabel = "DIR|none",
            description = "Every staging, target and volume path of a node call must be inside this directory, "
                    + "else INVALID_ARGUMENT (default: /var/lib/kubelet); none accepts any absolute path "
                    + "(outside Kubernetes, driving the node by hand).")
    String kubeletDir;

    @Option(names = "--max-volumes", defaultValue = "0", paramLabel = "N",
            description = "Most volumes this node takes, reported to the CO (default: what the loop driver allows, "
                    + "else no limit).")
    long maxVolumes;

    @Option(names = "--ephemeral-size", defaultValue = "1Gi", paramLabel = "SIZE",
            description = "Size of an ephemeral inline volume whose attributes give none (default: ${DEFAULT-VALUE}).")
    String ephemeralSize;

    @Option(names = "--ephemeral-max-size", defaultValue = "16Gi", paramLabel = "SIZE",
            description = "Largest ephemeral inline volume a pod may ask for (default: ${DEFAULT-VALUE}).")
    String ephemeralMaxSize;

    @Option(names = "--shutdown-grace", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long in-flight calls may finish after SIGTERM (default: ${DEFAULT-VALUE}).")
    int shutdownGraceSeconds;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
            description = "Serve /metrics (Prometheus), /healthz and /readyz over HTTP here; a port alone binds "
                    + "127.0.0.1 (default: off).")
    String metricsAddress;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServerConfig config = config();
        java.net.InetSocketAddress metricsAt = metricsAddress == null ? null
                : guard(() -> MetricsAddress.parse(metricsAddress));
        LocalBackend.NodeOptions nodeOptions = guard(this::nodeOptions);
        Path named = dataDir.toAbsolutePath().normalize();
        boolean defaultState = endpoint == null && root.endpoint.equals(Defaults.endpoint())
                && System.getenv("CSI_ENDPOINT") == null;
        checkDataDirParent(named);

        Logging.configureServer(Level.toLevel(logLevel.name()), logFormat);
        Logger log = LoggerFactory.getLogger(ServeCommand.class);

        // Only the default state directory is created on the user's behalf.
        if (defaultState) {
            Files.createDirectories(Defaults.stateDir());
        }
        if (config.endpoint() instanceof Endpoint.Unix unix) {
            guard(() -> {
                SocketFile.prepare(unix.path());
                return unix;
            });
        }
        boolean createdData = !Files.exists(named);
        if (createdData) {
            Files.createDirectories(named);
        }
        // Trusted configuration: a data directory behind a symlink is used at its real location, which
        // the backends then reach without following links.
        Path data = named.toRealPath();
        try {
            guard(() -> {
                DataDirLock.take(data); // one driver per data directory
                return data;
            });
        } catch (RuntimeException | IOException e) {
            if (createdData) {
                deleteTree(data);
            }
            throw e;
        }

        // Signals are caught before the socket exists: one arriving during start still ends cleanly.
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        AtomicReference<CsiServer> running = new AtomicReference<>();
        // Any other way out (SIGHUP, System.exit) still removes the socket.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            CsiServer started = running.get();
            if (started != null) {
                started.stop();
            }
        }, "csi4j-shutdown"));

        CsiServer server;
        AtomicReference<AutoCloseable> opened = new AtomicReference<>();
        AtomicReference<StorageBackend> served = new AtomicReference<>();
        DriverMetrics metrics = metricsAt == null ? null : new DriverMetrics(Version.value(), config.driverName().value());
        MetricsServer metricsServer = null;
        try {
            if (metrics != null) {
                // Bound before the backend opens: an address in use ends the start with nothing done.
                metricsServer = guard(() -> MetricsServer.start(metricsAt, metrics, () -> health(running, served)));
                ToolRuns.listen(new ToolListener(metrics.tools()));
                log.info("metrics, /healthz and /readyz on http://{}:{}", metricsAt.getHostString(), metricsServer.port());
            }
            server = guard(() -> {
                var chosen = backend == Backend.nfs
                        ? NfsBackend.open(nfsOptions(data))
                        : LocalBackend.open(data, nodeId, 0, nodeOptions);
                if (chosen instanceof AutoCloseable closeable) {
                    opened.set(closeable);
                }
                served.set(chosen);
                if (metrics == null) {
                    return CsiServer.start(config, chosen);
                }
                metrics.watch(chosen);
                return CsiServer.start(config, chosen, java.util.List.of(metrics.interceptor()));
            });
        } catch (RuntimeException | IOException e) {
            if (metricsServer != null) {
                metricsServer.close();
            }
            if (createdData) {
                deleteTree(data);
            }
            throw e;
        }
        running.set(server);
        stop.await();
        log.info("stop signal received; letting in-flight calls finish (up to {} s)", shutdownGraceSeconds);
        server.stop();
        if (metricsServer != null) {
            metricsServer.close();
        }
        if (opened.get() != null) {
            try {
                opened.get().close(); // e.g. the NFS controller's connections and mounts
            } catch (Exception e) {
                log.warn("closing the backend failed: {}", e.toString());
            }
        }
        return 0;
    }

    /** What /healthz says: the gRPC server serves, and the backend passes Probe's check. */
    private static Readiness health(AtomicReference<CsiServer> running, AtomicReference<StorageBackend> backend) {
        CsiServer server = running.get();
        if (server == null || backend.get() == null) {
            return Readiness.notReady("the gRPC server is not serving yet");
        }
        if (!server.serving()) {
            return Readiness.notReady("the gRPC server stopped");
        }
        return backend.get().readiness();
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** All flags, validated; nothing is created here. */
    ServerConfig config() throws IOException {
        String effectiveEndpoint = endpoint != null ? endpoint : root.endpoint;
        return guard(() -> new ServerConfig(
                Endpoint.parse(effectiveEndpoint),
                parseMode(socketMode),
                Duration.ofSeconds(shutdownGraceSeconds),
                mode,
                new DriverName(driverName != null ? driverName : backend + ".csi4j.io"),
                Version.value(),
                new NodeIdentity(nodeId),
                Map.of("backend", backend.name(), "mode", mode.toString()),
                nodePathRoot()));
    }

    /** The bound on node paths: only where the node service runs, {@code none} for no bound. */
    private java.util.Optional<Path> nodePathRoot() {
        java.util.Optional<Path> root = kubeletDirFlag(kubeletDir);
        return mode.servesNode() ? root : java.util.Optional.empty();
    }

    /** {@code --kubelet-dir}: absent means the default, {@code none} no bound, else an absolute, normalised path. */
    static java.util.Optional<Path> kubeletDirFlag(String value) {
        if (value == null) {
            return java.util.Optional.of(DEFAULT_KUBELET_DIR);
        }
        if (value.equals("none")) {
            return java.util.Optional.empty();
        }
        Path dir = Path.of(value); // an InvalidPathException is an IllegalArgumentException: exit 2
        if (!dir.isAbsolute() || !dir.equals(dir.normalize()) || dir.getNameCount() == 0) {
            throw new IllegalArgumentException("--kubelet-dir must be an absolute, normalised directory "
                    + "other than / (or none), not '" + value + "'");
        }
        return java.util.Optional.of(dir);
    }

    /**
     * The NFS backend's options; a controller mounts exports without NFSv3 under {@code data}/nfs-mounts,
     * a node mounts NFS volumes at {@code data}/nfs-node before putting them onto staging paths.
     */
    private NfsBackend.Options nfsOptions(Path data) {
        if (nfsTimeoutSeconds < 1 || mountTimeoutSeconds < 1) {
            throw new IllegalArgumentException("--nfs-timeout and --mount-timeout must be at least 1 second");
        }
        return new NfsBackend.Options(Duration.ofSeconds(nfsTimeoutSeconds), Duration.ofSeconds(mountTimeoutSeconds),
                mode.servesController() ? java.util.Optional.of(data.resolve("nfs-mounts")) : java.util.Optional.empty(),
                new io.csi4j.backend.nfs.volume.SharedRoots(sharedPathRoots), data.resolve("nfs-node"));
    }

    private LocalBackend.NodeOptions nodeOptions() {
        if (maxVolumes < 0) {
            throw new IllegalArgumentException("--max-volumes must not be negative");
        }
        return new LocalBackend.NodeOptions(size(ephemeralSize, "--ephemeral-size"),
                size(ephemeralMaxSize, "--ephemeral-max-size"), maxVolumes);
    }

    private static long size(String text, String flag) {
        try {
            return io.csi4j.cli.SizeParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    private void checkDataDirParent(Path data) {
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new ParameterException(spec.commandLine(), "the data directory is not a directory: " + data);
        }
        Path parent = data.getParent();
        boolean isDefault = data.equals(Defaults.dataDir());
        if (!isDefault && !Files.exists(data) && (parent == null || !Files.isDirectory(parent))) {
            throw new ParameterException(spec.commandLine(),
                    "the data directory's parent does not exist: " + parent + " (create it, or pick another --data-dir)");
        }
    }

    private static int parseMode(String octal) {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new IllegalArgumentException("--socket-mode must be octal like 0660, not '" + octal + "'");
        }
        return Integer.parseInt(octal, 8);
    }

    /** Turns the IllegalArgumentExceptions of validation into usage errors (exit code 2). */
    private <T> T guard(Step<T> step) throws IOException {
        try {
            return step.run();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

}
