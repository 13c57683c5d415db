package io.csi4j.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.IdentityGrpc;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.server.RecordingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

/** The call metrics on their own, with hand-written calls; the driver's tests scrape them over HTTP. */
class RpcMetricsInterceptorTest {

    private final DriverMetrics metrics = new DriverMetrics("1.2.3", "test.csi4j.io");
    private final RecordingServerCall<ProbeRequest, ProbeResponse> call =
            new RecordingServerCall<>(IdentityGrpc.getProbeMethod());

    private ServerCall.Listener<ProbeRequest> intercept(ServerCallHandler<ProbeRequest, ProbeResponse> handler) {
        return metrics.interceptor().interceptCall(call, new Metadata(), handler);
    }

    private static ServerCallHandler<ProbeRequest, ProbeResponse> closingWith(Status status) {
        return (c, h) -> new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                c.close(status, new Metadata());
            }
        };
    }

    @Test
    void anAbortedCallCountsAsAbortedByItsMethod() {
        intercept(closingWith(Status.ABORTED.withDescription("volume busy"))).onHalfClose();
        intercept(closingWith(Status.OK)).onHalfClose();

        assertThat(value("csi4j_rpc", "method", "Probe", "code", "ABORTED")).isEqualTo(1);
        assertThat(value("csi4j_rpc", "method", "Probe", "code", "OK")).isEqualTo(1);
        assertThat(value("csi4j_rpc_aborted", "method", "Probe")).isEqualTo(1);
        assertThat(value("csi4j_rpc_duration_seconds", "method", "Probe", "code", "ABORTED")).isEqualTo(1);
    }

    @Test
    void aCallIsInFlightFromItsStartUntilItIsClosed() {
        ServerCall.Listener<ProbeRequest> listener = intercept(closingWith(Status.OK));

        assertThat(value("csi4j_rpc_in_flight", "method", "Probe")).isEqualTo(1);
        listener.onHalfClose();
        assertThat(value("csi4j_rpc_in_flight", "method", "Probe")).isZero();
    }

    @Test
    void aCancelledCallCountsOnceAsCancelledEvenWhenClosedAfterwards() {
        ServerCall.Listener<ProbeRequest> listener = intercept(closingWith(Status.OK));

        listener.onCancel();
        listener.onHalfClose(); // the service answers late

        assertThat(value("csi4j_rpc", "method", "Probe", "code", "CANCELLED")).isEqualTo(1);
        assertThat(value("csi4j_rpc", "method", "Probe", "code", "OK")).isZero();
        assertThat(value("csi4j_rpc_in_flight", "method", "Probe")).isZero();
    }

    @Test
    void buildInfoCarriesTheVersionAndDriverName() {
        assertThat(metrics.registry().scrape().stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("csi4j_build"))
                .flatMap(m -> m.getDataPoints().stream())
                .map(DataPointSnapshot::getLabels))
                .singleElement()
                .satisfies(labels -> {
                    assertThat(labels.get("version")).isEqualTo("1.2.3");
                    assertThat(labels.get("driver")).isEqualTo("test.csi4j.io");
                });
    }

    /** The value (a histogram's count) of the data point of {@code name} with these labels; 0 when absent. */
    private double value(String name, String... labels) {
        for (MetricSnapshot metric : metrics.registry().scrape()) {
            if (!metric.getMetadata().getPrometheusName().equals(name)) {
                continue;
            }
            for (DataPointSnapshot point : metric.getDataPoints()) {
                boolean matches = true;
                for (int i = 0; i < labels.length; i += 2) {
                    matches &= labels[i + 1].equals(point.getLabels().get(labels[i]));
                }
                if (matches) {
                    return switch (point) {
                        case CounterSnapshot.CounterDataPointSnapshot c -> c.getValue();
                        case GaugeSnapshot.GaugeDataPointSnapshot g -> g.getValue();
                        case HistogramSnapshot.HistogramDataPointSnapshot h -> h.getCount();
                        default -> throw new AssertionError("unexpected point " + point);
                    };
                }
            }
        }
        return 0;
    }
}
