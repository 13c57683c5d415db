package io.csi4j.server;

import io.csi4j.server.config.ServerConfig;
import io.csi4j.spi.StorageBackend;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers a test starts and the gRPC channels it opens to them, all shut down after each test;
 * register with {@code @RegisterExtension}.
 */
public final class TestServers implements AfterEachCallback {

    private final List<CsiServer> servers = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    public CsiServer start(ServerConfig config, StorageBackend backend) throws IOException {
        CsiServer server = CsiServer.start(config, backend);
        servers.add(server);
        return server;
    }

    /** A channel to the server on the unix socket {@code socket}. */
    public ManagedChannel channel(Path socket) {
        return add(Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create()).build());
    }

    /** A channel to the server on {@code host:port}. */
    public ManagedChannel channel(String host, int port) {
        return add(Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create()).build());
    }

    private ManagedChannel add(ManagedChannel channel) {
        channels.add(channel);
        return channel;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        for (CsiServer server : servers) {
            server.stop();
        }
    }

    /** The status {@code call} failed with; an AssertionError if it succeeded. */
    public static Status statusOf(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("the call succeeded");
    }
}
