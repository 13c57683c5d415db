package io.csi4j.server.logging;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs every call once, when it ends: method, the volume or snapshot it concerns, duration and
 * status code. Every line logged while the call runs carries its request ID (through the MDC),
 * and the ID goes back to the caller in the {@code csi4j-request-id} header. Requests and
 * responses are logged at debug level, secrets redacted.
 */
public final class CallLoggingInterceptor implements ServerInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger("csi4j.calls");

    /** Calls that sidecars make every few seconds: their success is only worth a debug line. */
    private static final Set<String> ROUTINE = Set.of(
            "Probe", "GetPluginInfo", "GetPluginCapabilities", "ControllerGetCapabilities",
            "NodeGetCapabilities", "NodeGetInfo", "GetCapacity", "NodeGetVolumeStats");

    /** Fields that say what a call is about, in the order they are shown. */
    private static final List<String> SUBJECT_FIELDS = List.of(
            "name", "volume_id", "source_volume_id", "snapshot_id", "group_snapshot_id", "node_id",
            "target_path", "staging_target_path", "volume_path");

    private static final Map<Descriptor, List<FieldDescriptor>> SUBJECTS = new ConcurrentHashMap<>();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        CallRecord record = new CallRecord(RequestIds.next(), call.getMethodDescriptor().getBareMethodName());
        ServerCall<Q, R> logged = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.put(RequestIds.HEADER, record.requestId);
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void sendMessage(R message) {
                if (LOG.isDebugEnabled() && message instanceof Message m) {
                    record.within(() -> LOG.debug("{} response {}", record.method, SecretRedactor.format(m)));
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                trailers.put(RequestIds.HEADER, record.requestId);
                record.within(() -> record.finished(status));
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> delegate = record.within(() -> next.startCall(logged, headers));
        return new SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                record.within(() -> {
                    if (message instanceof Message m) {
                        record.subject = subjectOf(m);
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("{} request {}", record.method, SecretRedactor.format(m));
                        }
                    }
                    super.onMessage(message);
                });
            }

            @Override
            public void onHalfClose() {
                record.within(super::onHalfClose);
            }

            @Override
            public void onCancel() {
                record.within(() -> {
                    LOG.info("{}{} cancelled by the caller after {}", record.method, record.subject, record.elapsed());
                    super.onCancel();
                });
            }

            @Override
            public void onComplete() {
                record.within(super::onComplete);
            }

            @Override
            public void onReady() {
                record.within(super::onReady);
            }
        };
    }

    static String subjectOf(Message message) {
        List<FieldDescriptor> fields = SUBJECTS.computeIfAbsent(message.getDescriptorForType(), type -> {
            List<FieldDescriptor> found = new ArrayList<>();
            for (String name : SUBJECT_FIELDS) {
                FieldDescriptor field = type.findFieldByName(name);
                if (field != null && field.getJavaType() == FieldDescriptor.JavaType.STRING && !field.isRepeated()
                        && !SecretRedactor.isSecret(field)) {
                    found.add(field);
                }
            }
            return List.copyOf(found);
        });
        StringBuilder text = new StringBuilder();
        for (FieldDescriptor field : fields) {
            String value = (String) message.getField(field);
            if (!value.isEmpty()) {
                text.append(' ').append(field.getName()).append('=').append(printable(value));
            }
        }
        return text.toString();
    }

    /** Caller input as it may appear in a log line: no control characters (no forged lines), bounded. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(256).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return value.codePointCount(0, value.length()) > 256 ? out.append("...").toString() : out.toString();
    }

    /** What the interceptor knows about one call. */
    private static final class CallRecord {
        final String requestId;
        final String method;
        final long startNanos = System.nanoTime();
        volatile String subject = "";

        CallRecord(String requestId, String method) {
            this.requestId = requestId;
            this.method = method;
        }

        void within(Runnable action) {
            within(() -> {
                action.run();
                return null;
            });
        }

        <T> T within(java.util.function.Supplier<T> action) {
            String outer = MDC.get(RequestIds.MDC_KEY);
            MDC.put(RequestIds.MDC_KEY, requestId);
            try {
                return action.get();
            } finally {
                if (outer == null) {
                    MDC.remove(RequestIds.MDC_KEY);
                } else {
                    MDC.put(RequestIds.MDC_KEY, outer);
                }
            }
        }

        String elapsed() {
            return String.format("%.1f ms", (System.nanoTime() - startNanos) / 1e6);
        }

        void finished(Status status) {
            String description = status.getDescription() == null ? "" : ": " + status.getDescription();
            switch (status.getCode()) {
                case OK -> {
                    if (ROUTINE.contains(method)) {
                        LOG.debug("{}{} -> OK in {}", method, subject, elapsed());
                    } else {
                        LOG.info("{}{} -> OK in {}", method, subject, elapsed());
                    }
                }
                case INTERNAL, UNKNOWN, DATA_LOSS ->
                        LOG.error("{}{} -> {} in {}{}", method, subject, status.getCode(), elapsed(), description);
                case UNIMPLEMENTED ->
                        LOG.debug("{}{} -> {} in {}{}", method, subject, status.getCode(), elapsed(), description);
                default ->
                        LOG.warn("{}{} -> {} in {}{}", method, subject, status.getCode(), elapsed(), description);
            }
        }
    }
}
