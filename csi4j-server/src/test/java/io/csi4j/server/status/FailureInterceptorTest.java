package io.csi4j.server.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.IdentityGrpc;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.server.RecordingServerCall;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.VolumeNotFound;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interceptor on its own, with hand-written calls; CsiServerTest covers it inside a real server. */
class FailureInterceptorTest {

    private final RecordingServerCall<ProbeRequest, ProbeResponse> call =
            new RecordingServerCall<>(IdentityGrpc.getProbeMethod());

    private ServerCall.Listener<ProbeRequest> intercept(ServerCallHandler<ProbeRequest, ProbeResponse> handler) {
        return new FailureInterceptor().interceptCall(call, new Metadata(), handler);
    }

    private static ServerCallHandler<ProbeRequest, ProbeResponse> onHalfClose(
            java.util.function.Consumer<ServerCall<ProbeRequest, ProbeResponse>> step) {
        return (call, headers) -> new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                step.accept(call);
            }
        };
    }

    @Test
    void aFailureWhileStartingTheCallClosesItWithTheMappedStatus() {
        ServerCall.Listener<ProbeRequest> listener = intercept((c, h) -> {
            throw new VolumeNotFound("volume v1 does not exist");
        });

        assertThat(call.closes).singleElement().satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(status.getDescription()).isEqualTo("volume v1 does not exist");
        });
        listener.onMessage(ProbeRequest.getDefaultInstance());
        listener.onHalfClose();
        assertThat(call.closes).hasSize(1);
    }

    @Test
    void anUnexpectedFailureInTheServiceMethodClosesTheCallAsInternal() {
        ServerCall.Listener<ProbeRequest> listener = intercept(onHalfClose(c -> {
            throw new IllegalStateException("secret path /x/y");
        }));

        listener.onHalfClose();

        assertThat(call.closes).singleElement().satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
            assertThat(status.getDescription()).isEqualTo(StatusMapperTest.INTERNAL_MESSAGE);
        });
    }

    @Test
    void aFailureWhileReadingTheRequestIsMappedToo() {
        ServerCall.Listener<ProbeRequest> listener = intercept((c, h) -> new ServerCall.Listener<>() {
            @Override
            public void onMessage(ProbeRequest message) {
                throw new InvalidParameter("unknown parameter 'sise'");
            }
        });

        listener.onMessage(ProbeRequest.getDefaultInstance());

        assertThat(call.closes).singleElement().satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).isEqualTo("unknown parameter 'sise'");
        });
    }

    @Test
    void anErrorIsCaughtAsWell() {
        ServerCall.Listener<ProbeRequest> listener = intercept(onHalfClose(c -> {
            throw new AssertionError("broken invariant");
        }));

        listener.onHalfClose();

        assertThat(call.closes).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void aFailureAfterTheCallEndedIsRethrownAndTheCallIsNotClosedTwice() {
        IllegalStateException late = new IllegalStateException("after close");
        ServerCall.Listener<ProbeRequest> listener = intercept(onHalfClose(c -> {
            c.close(Status.OK, new Metadata());
            throw late;
        }));

        assertThatThrownBy(listener::onHalfClose).isSameAs(late);

        assertThat(call.closes).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.OK);
    }

    @Test
    void onlyTheFirstCloseReachesTheTransport() {
        ServerCall.Listener<ProbeRequest> listener = intercept(onHalfClose(c -> {
            c.close(Status.ABORTED.withDescription("first"), new Metadata());
            c.close(Status.OK, new Metadata());
        }));

        listener.onHalfClose();

        assertThat(call.closes).singleElement().satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED);
            assertThat(status.getDescription()).isEqualTo("first");
        });
    }

    @Test
    void aCallThatSucceedsPassesThroughUntouched() {
        ProbeResponse response = ProbeResponse.newBuilder().build();
        List<ProbeRequest> received = new ArrayList<>();
        ServerCall.Listener<ProbeRequest> listener = intercept(RecordingServerCall.answering(received, response));

        listener.onMessage(ProbeRequest.getDefaultInstance());
        listener.onHalfClose();

        assertThat(received).containsExactly(ProbeRequest.getDefaultInstance());
        assertThat(call.messages).containsExactly(response);
        assertThat(call.closes).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.OK);
    }
}
