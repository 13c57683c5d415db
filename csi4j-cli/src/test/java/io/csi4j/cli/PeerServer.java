package io.csi4j.cli;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** An in-process gRPC server on a unix socket, serving one service for the cli to call. */
public final class PeerServer implements AutoCloseable {

    // Netty warns on every unix socket connection that SO_KEEPALIVE does not apply; the driver mutes it too.
    private static final Logger NETTY_BOOTSTRAP = Logger.getLogger("io.netty.bootstrap");

    static {
        NETTY_BOOTSTRAP.setLevel(Level.SEVERE);
    }

    private final Path socket;
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final Server server;

    private PeerServer(Path socket, BindableService service) {
        this.socket = socket;
        this.server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toFile()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss).workerEventLoopGroup(workers)
                .addService(service)
                .build();
    }

    /** Serves {@code service} on {@code dir}/csi.sock. */
    public static PeerServer start(Path dir, BindableService service) throws IOException {
        PeerServer peer = new PeerServer(dir.resolve("csi.sock"), service);
        try {
            peer.server.start();
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** The endpoint to pass as {@code --endpoint}. */
    public String endpoint() {
        return "unix://" + socket;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
