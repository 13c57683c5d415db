package io.csi4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A recording peer standing in for "any CSI driver": the cli must work against every driver,
 * and the real csi4j driver does not serve every RPC yet. It serves every unary method of one
 * CSI service, keeps the requests it got and answers with canned responses (the same one
 * every time, or one after the other) or fails with a canned status. As a JUnit extension it serves on a unix socket in a fresh temporary
 * directory for each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * final RecordingPeer peer = new RecordingPeer(NodeGrpc.getServiceDescriptor());
 * }</pre>
 */
public final class RecordingPeer implements BindableService, BeforeEachCallback, AfterEachCallback {

    private final ServiceDescriptor service;
    private Path dir;
    private PeerServer server;
    private final List<Message> requests = new ArrayList<>();
    private final List<Message> responses = new ArrayList<>();
    private volatile Status failure;

    /** A peer serving {@code service}, e.g. {@code NodeGrpc.getServiceDescriptor()}. */
    public RecordingPeer(ServiceDescriptor service) {
        this.service = service;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("csi4j-cli-");
        server = PeerServer.start(dir, this);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try (Stream<Path> tree = Files.walk(dir)) {
                for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** {@code csi4j --endpoint <this peer> args...}. */
    public Cli.Result run(String... args) {
        return Cli.run(server.endpoint(), args);
    }

    /**
     * Runs {@code args}, which must be refused as a usage error: exit code 2, {@code message} in
     * what it prints, {@code secret} nowhere, and no call made.
     */
    public void assertUsageError(String message, String secret, String... args) {
        Cli.Result result = run(args);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(message);
        assertThat(result.stdout() + result.stderr()).doesNotContain(secret);
        assertThat(request()).isNull();
    }

    /** Runs {@code args}, which must exit 0 with nothing on stderr and {@code secret} nowhere in what it prints. */
    public Cli.Result runOk(String secret, String... args) {
        Cli.Result result = run(args);

        assertThat(result.stderr()).isEmpty();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).doesNotContain(secret);
        return result;
    }

    /** {@code args} against a driver failing with {@code status}: exit code 1, exactly {@code stderr} on stderr, nothing on stdout. */
    public void assertFails(Status status, String stderr, String... args) {
        failWith(status);

        Cli.Result result = run(args);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo(stderr);
    }

    /** {@code command --help} exits 0 and names every one of {@code subcommands}. */
    public void assertHelpLists(String command, String... subcommands) {
        Cli.Result result = run(command, "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains(subcommands);
    }

    /** Answer every call with {@code canned}. */
    public void respondWith(Message canned) {
        respondInTurn(canned);
    }

    /** Answer the calls with {@code canned} one after the other, the last one again and again. */
    public synchronized void respondInTurn(Message... canned) {
        responses.clear();
        responses.addAll(List.of(canned));
        this.failure = null;
    }

    /** Fail the next call with {@code status}. */
    public void failWith(Status status) {
        this.failure = status;
    }

    /** The last request, or null when no call arrived. */
    public synchronized Message request() {
        return requests.isEmpty() ? null : requests.getLast();
    }

    /** The last request as {@code type}. */
    public <T extends Message> T request(Class<T> type) {
        return type.cast(request());
    }

    /** Every request, in the order they came. */
    public synchronized List<Message> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(service);
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            if (method.getType() == MethodDescriptor.MethodType.UNARY) {
                add(definition, method);
            }
        }
        return definition.build();
    }

    private <Q, S> void add(ServerServiceDefinition.Builder definition, MethodDescriptor<Q, S> method) {
        definition.addMethod(method, ServerCalls.asyncUnaryCall((Q call, StreamObserver<S> observer) -> answer(method, call, observer)));
    }

    private synchronized <Q, S> void answer(MethodDescriptor<Q, S> method, Q call, StreamObserver<S> observer) {
        requests.add((Message) call);
        if (failure != null) {
            observer.onError(failure.asRuntimeException());
            return;
        }
        Message response = responses.size() > 1 ? responses.removeFirst() : responses.isEmpty() ? null : responses.getFirst();
        Message prototype = (Message) ((MethodDescriptor.PrototypeMarshaller<S>) method.getResponseMarshaller()).getMessagePrototype();
        if (response == null || response.getDescriptorForType() != prototype.getDescriptorForType()) {
            observer.onError(Status.INTERNAL.withDescription("test gave no canned " + prototype.getDescriptorForType().getName())
                    .asRuntimeException());
            return;
        }
        // The canned message is of the response type; parsing its bytes gives it as S without an unchecked cast.
        observer.onNext(method.parseResponse(response.toByteString().newInput()));
        observer.onCompleted();
    }
}
