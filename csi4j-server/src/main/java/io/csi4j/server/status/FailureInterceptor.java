package io.csi4j.server.status;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets service methods simply throw: whatever escapes a call is turned into a status by
 * {@link StatusMapper} and closes the call, instead of reaching gRPC as UNKNOWN.
 */
public final class FailureInterceptor implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        AtomicBoolean closed = new AtomicBoolean();
        ServerCall<Q, R> guarded = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                if (closed.compareAndSet(false, true)) {
                    super.close(status, trailers);
                }
            }
        };
        ServerCall.Listener<Q> delegate;
        try {
            delegate = next.startCall(guarded, headers);
        } catch (RuntimeException | Error e) {
            guarded.close(StatusMapper.toStatus(e), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return new SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                run(() -> super.onMessage(message));
            }

            @Override
            public void onHalfClose() {
                run(super::onHalfClose);
            }

            private void run(Runnable step) {
                try {
                    step.run();
                } catch (RuntimeException | Error e) {
                    if (closed.get()) {
                        throw e; // the call already ended: nothing left to tell the caller
                    }
                    guarded.close(StatusMapper.toStatus(e), new Metadata());
                }
            }
        };
    }
}
