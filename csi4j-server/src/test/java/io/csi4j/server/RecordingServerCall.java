package io.csi4j.server;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written server call for interceptor tests: records what the interceptor chain sends
 * towards the transport (headers, messages, closes) instead of writing it to a socket.
 */
public final class RecordingServerCall<Q, R> extends ServerCall<Q, R> {

    public final List<Metadata> headers = new ArrayList<>();
    public final List<R> messages = new ArrayList<>();
    public final List<Status> closes = new ArrayList<>();
    public final List<Metadata> trailers = new ArrayList<>();
    private final MethodDescriptor<Q, R> method;

    public RecordingServerCall(MethodDescriptor<Q, R> method) {
        this.method = method;
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendHeaders(Metadata headers) {
        this.headers.add(headers);
    }

    @Override
    public void sendMessage(R message) {
        messages.add(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
        closes.add(status);
        this.trailers.add(trailers);
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
        return method;
    }

    /**
     * A handler that adds each request to {@code received} and, on half-close, sends headers,
     * {@code response} and OK.
     */
    public static <Q, R> ServerCallHandler<Q, R> answering(List<Q> received, R response) {
        return (c, h) -> new ServerCall.Listener<>() {
            @Override
            public void onMessage(Q message) {
                received.add(message);
            }

            @Override
            public void onHalfClose() {
                c.sendHeaders(new Metadata());
                c.sendMessage(response);
                c.close(Status.OK, new Metadata());
            }
        };
    }
}
