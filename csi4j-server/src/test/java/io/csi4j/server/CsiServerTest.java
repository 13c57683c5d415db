package io.csi4j.server;

import io.csi4j.server.config.Capabilities;
import io.csi4j.server.config.DriverName;
import io.csi4j.server.config.Mode;
import io.csi4j.server.config.NodeIdentity;
import io.csi4j.server.config.ServerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.csi4j.server.TestServers.statusOf;

import com.google.protobuf.BoolValue;
import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGrpc;
import csi.v1.ControllerServiceCapability;
import csi.v1.CreateVolumeRequest;
import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginInfoRequest;
import csi.v1.GetPluginInfoResponse;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeGetInfoResponse;
import csi.v1.NodeGrpc;
import csi.v1.PluginCapability;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.server.endpoint.Endpoint;
import io.csi4j.server.logging.RequestIds;
import io.csi4j.spi.Feature;
import io.csi4j.spi.Readiness;
import io.csi4j.spi.StorageBackend;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A real server on a unix socket, called by a real gRPC client. */
class CsiServerTest {

    private static final String INTERNAL_MESSAGE =
            "internal error in the driver; its log has the details under this call's request ID";

    @TempDir
    Path dir;

    @RegisterExtension
    final TestServers servers = new TestServers();

    private Path socket() {
        return dir.resolve("csi.sock");
    }

    private static ServerConfig config(Endpoint endpoint, Mode mode, int socketMode) {
        return new ServerConfig(endpoint, socketMode, Duration.ofSeconds(2), mode, DriverName.DEFAULT, "test",
                new NodeIdentity("n1"), Map.of("backend", "fixture"), java.util.Optional.empty());
    }

    private CsiServer start(Mode mode, StorageBackend backend) throws IOException {
        return start(config(new Endpoint.Unix(socket()), mode, 0660), backend);
    }

    private CsiServer start(ServerConfig config, StorageBackend backend) throws IOException {
        return servers.start(config, backend);
    }

    private ManagedChannel channel() {
        return servers.channel(socket());
    }

    private IdentityGrpc.IdentityBlockingStub identity() {
        return IdentityGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private ControllerGrpc.ControllerBlockingStub controller() {
        return ControllerGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private NodeGrpc.NodeBlockingStub node() {
        return NodeGrpc.newBlockingStub(channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static FixtureBackend backend(Feature... features) {
        return new FixtureBackend(features.length == 0 ? Set.of() : EnumSet.of(features[0], features),
                Optional.empty());
    }

    // ---- Identity

    @Test
    void probeAnswersReadyWhenTheBackendIsReady() throws IOException {
        start(Mode.ALL, backend());

        ProbeResponse response = identity().probe(ProbeRequest.getDefaultInstance());

        assertThat(response.hasReady()).isTrue();
        assertThat(response.getReady()).isEqualTo(BoolValue.of(true));
    }

    @Test
    void probeAnswersFailedPreconditionWithTheReasonWhenTheBackendIsNotReady() throws IOException {
        FixtureBackend backend = backend();
        backend.readiness = () -> Readiness.notReady("data directory /var/lib/csi4j is missing");
        start(Mode.ALL, backend);

        Status status = statusOf(() -> identity().probe(ProbeRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(status.getDescription())
                .isEqualTo("fixture backend is not ready: data directory /var/lib/csi4j is missing");
    }

    @Test
    void probeFollowsTheBackendAsItChanges() throws IOException {
        FixtureBackend backend = backend();
        start(Mode.ALL, backend);
        IdentityGrpc.IdentityBlockingStub identity = identity();

        backend.readiness = () -> Readiness.notReady("disk offline");
        assertThat(statusOf(() -> identity.probe(ProbeRequest.getDefaultInstance())).getCode())
                .isEqualTo(Status.Code.FAILED_PRECONDITION);
        backend.readiness = Readiness::ready;
        assertThat(identity.probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
    }

    @Test
    void anUnexpectedFailureAnswersInternalWithoutItsMessage() throws IOException {
        FixtureBackend backend = backend();
        backend.readiness = () -> {
            throw new IllegalStateException("secret path /x/y");
        };
        start(Mode.ALL, backend);

        Status status = statusOf(() -> identity().probe(ProbeRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo(INTERNAL_MESSAGE).doesNotContain("/x/y");
    }

    @Test
    void getPluginInfoNamesTheDriverItsVersionAndManifest() throws IOException {
        start(Mode.ALL, backend());

        GetPluginInfoResponse info = identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

        assertThat(info.getName()).isEqualTo("local.csi4j.io");
        assertThat(info.getVendorVersion()).isEqualTo("test");
        assertThat(info.getManifestMap()).isEqualTo(Map.of("backend", "fixture"));
    }

    @Test
    void getPluginCapabilitiesReportsWhatModeAndBackendAllow() throws IOException {
        start(Mode.ALL, backend(Feature.PROVISIONING, Feature.VOLUME_TOPOLOGY, Feature.ONLINE_EXPANSION));

        List<PluginCapability> capabilities = identity()
                .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList();

        assertThat(capabilities).containsExactlyElementsOf(
                new Capabilities(Mode.ALL, Set.of(Feature.PROVISIONING, Feature.VOLUME_TOPOLOGY,
                        Feature.ONLINE_EXPANSION)).plugin());
        assertThat(capabilities).hasSize(3);
    }

    // ---- request IDs

    @Test
    void aSuccessfulCallCarriesItsRequestIdInHeadersAndTrailers() throws IOException {
        start(Mode.ALL, backend());
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();

        identity().withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .probe(ProbeRequest.getDefaultInstance());

        String id = headers.get().get(RequestIds.HEADER);
        assertThat(id).matches("[0-9a-f]{12}");
        assertThat(trailers.get().get(Metadata.Key.of("csi4j-request-id", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo(id);
    }

    @Test
    void aFailedCallCarriesItsRequestIdInTheTrailers() throws IOException {
        FixtureBackend backend = backend();
        backend.readiness = () -> {
            throw new IllegalStateException("boom");
        };
        start(Mode.ALL, backend);
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();

        Status status = statusOf(() -> identity()
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .probe(ProbeRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(trailers.get().get(RequestIds.HEADER)).matches("[0-9a-f]{12}");
    }

    // ---- the socket file

    @Test
    void theSocketFileHasTheConfiguredModeWhileServingAndIsGoneAfterStop() throws IOException {
        CsiServer server = start(Mode.ALL, backend());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket(), LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-rw----");
        assertThat(server.port()).isEqualTo(-1);

        server.stop();

        assertThat(Files.exists(socket(), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void anotherSocketModeIsApplied() throws IOException {
        start(config(new Endpoint.Unix(socket()), Mode.ALL, 0600), backend());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket(), LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
    }

    @Test
    void aSecondServerOnTheSamePathIsRefusedAndTheFirstKeepsServing() throws IOException {
        start(Mode.ALL, backend());
        Object inode = Files.getAttribute(socket(), "unix:ino", LinkOption.NOFOLLOW_LINKS);

        assertThatThrownBy(() -> start(Mode.ALL, backend()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("another process is serving " + socket() + "; stop it first or choose another --endpoint");

        assertThat(Files.getAttribute(socket(), "unix:ino", LinkOption.NOFOLLOW_LINKS)).isEqualTo(inode);
        assertThat(node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId()).isEqualTo("n1");
    }

    @Test
    void aStaleSocketFileIsReplaced() throws IOException {
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket()));
        }

        start(Mode.ALL, backend());

        assertThat(node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId()).isEqualTo("n1");
    }

    @Test
    void aRegularFileAtTheSocketPathIsRefusedAndKept() throws IOException {
        Files.writeString(socket(), "precious");

        assertThatThrownBy(() -> start(Mode.ALL, backend()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(socket() + " exists and is not a socket; refusing to replace it");

        assertThat(Files.readString(socket())).isEqualTo("precious");
    }

    @Test
    void aMissingSocketDirectoryIsRefused() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> start(config(new Endpoint.Unix(missing.resolve("csi.sock")), Mode.ALL, 0660),
                backend()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the socket directory does not exist: " + missing);
        assertThat(missing).doesNotExist();
    }

    @Test
    void stopIsSafeToRepeatAndCallsFailAfterIt() throws IOException {
        CsiServer server = start(Mode.ALL, backend());
        IdentityGrpc.IdentityBlockingStub identity = identity();
        assertThat(identity.probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();

        server.stop();
        server.stop();
        server.close();

        assertThat(statusOf(() -> identity.probe(ProbeRequest.getDefaultInstance())).getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    void stopLeavesAFileThatIsNoLongerItsOwnSocket() throws IOException {
        CsiServer server = start(Mode.ALL, backend());
        Files.delete(socket());
        Files.writeString(socket(), "someone else's");

        server.stop();

        assertThat(Files.readString(socket())).isEqualTo("someone else's");
    }

    @Test
    void stopLeavesTheSocketOfANewerServerAlone() throws IOException {
        CsiServer older = start(Mode.ALL, backend());
        Files.delete(socket()); // e.g. removed by hand, so that a newer driver could start
        start(config(new Endpoint.Unix(socket()), Mode.NODE, 0660), backend());

        older.stop();

        assertThat(socket()).exists();
        assertThat(statusOf(() -> controller()
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())).getCode())
                .as("the newer server, in node mode, answers").isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId()).isEqualTo("n1");
    }

    @Test
    void onlyTheSocketFileIsLeftInTheDirectoryWhileServingAndNothingAfter() throws IOException {
        CsiServer server = start(Mode.ALL, backend());
        try (var entries = Files.list(dir)) {
            assertThat(entries).containsExactly(socket());
        }

        server.stop();

        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void aTcpEndpointServesOnThePortItBound() throws IOException {
        CsiServer server = start(config(new Endpoint.Tcp("127.0.0.1", 0), Mode.NODE, 0660), backend());
        ManagedChannel channel = servers.channel("127.0.0.1", server.port());

        assertThat(server.port()).isBetween(1, 65535);
        assertThat(NodeGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId()).isEqualTo("n1");
    }

    // ---- modes and services

    @Test
    void inNodeModeTheControllerServiceIsUnimplemented() throws IOException {
        start(Mode.NODE, backend(Feature.PROVISIONING));

        Status status = statusOf(() -> controller()
                .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId()).isEqualTo("n1");
    }

    @Test
    void inControllerModeTheNodeServiceIsUnimplemented() throws IOException {
        start(Mode.CONTROLLER, backend(Feature.PROVISIONING));

        Status status = statusOf(() -> node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(controller().controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList())
                .extracting(c -> c.getRpc().getType())
                .containsExactly(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME,
                        ControllerServiceCapability.RPC.Type.LIST_VOLUMES,
                        ControllerServiceCapability.RPC.Type.GET_VOLUME,
                        ControllerServiceCapability.RPC.Type.GET_CAPACITY,
                        ControllerServiceCapability.RPC.Type.VOLUME_CONDITION);
    }

    @Test
    void nodeGetInfoNamesTheNodeWithoutTopologyWhenTheBackendHasNone() throws IOException {
        start(Mode.ALL, backend());

        NodeGetInfoResponse info = node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());

        assertThat(info.getNodeId()).isEqualTo("n1");
        assertThat(info.hasAccessibleTopology()).isFalse();
    }

    @Test
    void nodeGetInfoPlacesTheNodeInItsTopologyWhenVolumesAreNodeLocal() throws IOException {
        start(Mode.ALL, backend(Feature.VOLUME_TOPOLOGY));

        NodeGetInfoResponse info = node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance());

        assertThat(info.getNodeId()).isEqualTo("n1");
        assertThat(info.getAccessibleTopology().getSegmentsMap()).isEqualTo(Map.of("topology.csi4j.io/node", "n1"));
    }

    @Test
    void nodeGetCapabilitiesReportsExpansion() throws IOException {
        start(Mode.ALL, backend(Feature.OFFLINE_EXPANSION, Feature.NODE_VOLUMES));

        assertThat(node().nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .extracting(c -> c.getRpc().getType().name())
                .containsExactly("EXPAND_VOLUME");
    }

    @Test
    void createVolumeIsUnimplementedWhenTheBackendOffersNoProvisioner() throws IOException {
        start(Mode.ALL, backend(Feature.PROVISIONING));

        Status status = statusOf(() -> controller().createVolume(CreateVolumeRequest.newBuilder()
                .setName("pvc-1").putSecrets("password", "hunter2").build()));

        assertThat(status.getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(status.getDescription()).contains("CreateVolume").doesNotContain("hunter2");
    }
}
