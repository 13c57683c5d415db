package io.csi4j.server.metrics;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts and times every call by method and the status code it ended with, and how many run now.
 * It sits outside the failure interceptor, so the code is the one the caller sees. Method names
 * come from the services' descriptors, never from the caller, so the labels stay bounded.
 */
public final class RpcMetricsInterceptor implements ServerInterceptor {

    private final RpcMetrics metrics;

    public RpcMetricsInterceptor(RpcMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Call observed = new Call(call.getMethodDescriptor().getBareMethodName());
        ServerCall<Q, R> measured = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                observed.finished(status.getCode());
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> delegate;
        try {
            delegate = next.startCall(measured, headers);
        } catch (RuntimeException e) {
            observed.finished(Status.Code.UNKNOWN);
            throw e;
        }
        return new SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onCancel() {
                observed.finished(Status.Code.CANCELLED); // a cancelled call may never be closed
                super.onCancel();
            }
        };
    }

    /** One call: counted in flight from its start, finished exactly once. */
    private final class Call {
        private final String method;
        private final long startNanos = System.nanoTime();
        private final AtomicBoolean done = new AtomicBoolean();

        Call(String method) {
            this.method = method;
            metrics.started(method);
        }

        void finished(Status.Code code) {
            if (done.compareAndSet(false, true)) {
                metrics.finished(method, code.name(), System.nanoTime() - startNanos);
            }
        }
    }
}
