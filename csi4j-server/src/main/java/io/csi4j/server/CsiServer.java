package io.csi4j.server;

import io.csi4j.server.config.Capabilities;
import io.csi4j.server.config.ServerConfig;
import io.csi4j.server.controller.ControllerService;
import io.csi4j.server.endpoint.Endpoint;
import io.csi4j.server.endpoint.SocketFile;
import io.csi4j.server.identity.IdentityService;
import io.csi4j.server.logging.CallLoggingInterceptor;
import io.csi4j.server.node.NodeService;
import io.csi4j.server.status.FailureInterceptor;
import io.csi4j.spi.StorageBackend;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running CSI endpoint: the services of one backend behind the logging and failure
 * interceptors, on a unix socket or TCP port. {@link #stop()} lets in-flight calls finish up to
 * the grace period and removes the socket file it created.
 */
public final class CsiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CsiServer.class);

    private final ServerConfig config;
    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService calls;
    private Object socketFileKey;
    private volatile boolean stopped; // read by health checks without the lock stop() holds for the grace period

    private CsiServer(ServerConfig config, Server server, EventLoopGroup boss, EventLoopGroup workers,
                      ExecutorService calls) {
        this.config = config;
        this.server = server;
        this.boss = boss;
        this.workers = workers;
        this.calls = calls;
    }

    /**
     * Starts serving.
     *
     * @throws IllegalArgumentException when the endpoint cannot be used (missing directory, a live
     *                                  socket of another process, ...); nothing is left behind
     */
    public static CsiServer start(ServerConfig config, StorageBackend backend) throws IOException {
        return start(config, backend, List.of());
    }

    /**
     * Starts serving with {@code outer} interceptors around the logging and failure ones (the
     * first outermost), so they see every call and the status its caller gets (metrics).
     */
    public static CsiServer start(ServerConfig config, StorageBackend backend, List<ServerInterceptor> outer)
            throws IOException {
        Objects.requireNonNull(backend, "backend");
        Path staged = null; // where Netty binds; see SocketFile
        if (config.endpoint() instanceof Endpoint.Unix unix) {
            SocketFile.prepare(unix.path());
            staged = SocketFile.stagingPath(unix.path());
        }
        Capabilities capabilities = new Capabilities(config.mode(), backend.features());
        List<BindableService> services = new ArrayList<>();
        services.add(new IdentityService(config.driverName(), config.version(), config.manifest(), capabilities, backend));
        if (config.mode().servesController()) {
            services.add(new ControllerService(capabilities, backend.provisioner(), backend.snapshots()));
            if (capabilities.servesGroupController() && backend.snapshots().isPresent()) {
                services.add(new io.csi4j.server.controller.GroupControllerService(capabilities,
                        backend.snapshots().get()));
            }
        }
        if (config.mode().servesNode()) {
            services.add(new NodeService(capabilities, config.node(), backend.node(),
                    new io.csi4j.server.node.NodePaths(config.nodePathRoot())));
        }

        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ExecutorService calls = callExecutor();
        NettyServerBuilder builder = switch (config.endpoint()) {
            case Endpoint.Unix unix -> NettyServerBuilder.forAddress(new DomainSocketAddress(staged.toFile()))
                    .channelType(EpollServerDomainSocketChannel.class);
            case Endpoint.Tcp tcp -> NettyServerBuilder.forAddress(new InetSocketAddress(tcp.host(), tcp.port()))
                    .channelType(EpollServerSocketChannel.class);
        };
        builder.bossEventLoopGroup(boss).workerEventLoopGroup(workers).executor(calls);
        // Interceptors wrap inside-out: logging sees the status the failure interceptor chose.
        List<ServerInterceptor> interceptors = new ArrayList<>(List.of(new FailureInterceptor(), new CallLoggingInterceptor()));
        interceptors.addAll(outer.reversed());
        for (BindableService service : services) {
            builder.addService(ServerInterceptors.intercept(service, interceptors));
        }
        Server server = builder.build();
        CsiServer running = new CsiServer(config, server, boss, workers, calls);
        try {
            server.start();
            if (config.endpoint() instanceof Endpoint.Unix unix) {
                SocketFile.setMode(staged, config.socketMode());
                running.socketFileKey = fileKey(staged);
                SocketFile.publish(staged, unix.path());
            }
        } catch (IOException | RuntimeException e) {
            running.stop();
            throw e;
        }
        LOG.info("serving {} (mode {}, driver {} {}, backend {})", config.endpoint(), config.mode(),
                config.driverName(), config.version(), backend.name());
        return running;
    }

    /** Whether it still takes calls: false from the start of {@link #stop()}, or when gRPC stopped by itself. */
    public boolean serving() {
        return !stopped && !server.isShutdown() && !server.isTerminated();
    }

    /** The TCP port actually bound (useful with port 0), or -1 for a unix socket. */
    public int port() {
        return config.endpoint() instanceof Endpoint.Tcp
                ? ((InetSocketAddress) server.getListenSockets().getFirst()).getPort()
                : -1;
    }

    /**
     * Stops accepting calls, lets in-flight ones finish within the grace period, cancels the rest,
     * and removes the socket file. Safe to call more than once.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        server.shutdown();
        try {
            if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("calls still running after the {} s grace period; cancelling them",
                        config.shutdownGrace().toSeconds());
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (config.endpoint() instanceof Endpoint.Unix unix) {
            removeOwnSocket(unix.path());
        }
        LOG.info("stopped serving {}", config.endpoint());
    }

    @Override
    public void close() {
        stop();
    }

    /** Removes the socket file only if it is still the one this server made. */
    private void removeOwnSocket(Path path) {
        try {
            if (socketFileKey != null && socketFileKey.equals(fileKey(path))) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("could not remove socket file {}: {}", path, e.getMessage());
        }
    }

    private static Object fileKey(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /**
     * Calls may block on disks and mounts, so they run on their own threads, created as needed and
     * retired when idle, so an idle driver holds few.
     */
    private static ExecutorService callExecutor() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 256, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "csi-call-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
