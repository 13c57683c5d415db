package io.csi4j.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.spi.BackendException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.OperationPending;
import io.csi4j.spi.SnapshotNotFound;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeNotFound;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StatusMapperTest {

    static final String INTERNAL_MESSAGE =
            "internal error in the driver; its log has the details under this call's request ID";

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of(new InvalidParameter("unknown parameter 'sise'"), Status.Code.INVALID_ARGUMENT),
                Arguments.of(new VolumeNotFound("volume v1 does not exist"), Status.Code.NOT_FOUND),
                Arguments.of(new SnapshotNotFound("snapshot s1 does not exist"), Status.Code.NOT_FOUND),
                Arguments.of(new VolumeAlreadyExists("volume pvc-1 exists with 1 GiB, not 2 GiB"),
                        Status.Code.ALREADY_EXISTS),
                Arguments.of(new CapacityExhausted("only 3 GiB free"), Status.Code.RESOURCE_EXHAUSTED),
                Arguments.of(new CapacityOutOfRange("volumes cannot shrink"), Status.Code.OUT_OF_RANGE),
                Arguments.of(new FailedPrecondition("volume v1 is still published"), Status.Code.FAILED_PRECONDITION),
                Arguments.of(new OperationPending("volume v1 is being deleted"), Status.Code.ABORTED),
                Arguments.of(new BackendUnavailable("data directory is missing", new IOException("ENOENT")),
                        Status.Code.UNAVAILABLE),
                Arguments.of(new io.csi4j.spi.PermissionDenied("server 10.0.0.1 refused export /data"),
                        Status.Code.PERMISSION_DENIED));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("outcomes")
    void everyBackendOutcomeHasItsCodeAndKeepsItsMessage(BackendException outcome, Status.Code code) {
        Status status = StatusMapper.toStatus(outcome);

        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).isEqualTo(outcome.getMessage());
        assertThat(StatusMapper.codeOf(outcome)).isEqualTo(code);
    }

    @Test
    void aStatusRuntimeExceptionPassesThrough() {
        StatusRuntimeException thrown = Status.PERMISSION_DENIED.withDescription("no access to /srv").asRuntimeException();

        Status status = StatusMapper.toStatus(thrown);

        assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(status.getDescription()).isEqualTo("no access to /srv");
    }

    @Test
    void aStatusExceptionPassesThrough() {
        Status status = StatusMapper.toStatus(Status.ABORTED.withDescription("busy").asException());

        assertThat(status.getCode()).isEqualTo(Status.Code.ABORTED);
        assertThat(status.getDescription()).isEqualTo("busy");
    }

    @Test
    void anUnexpectedFailureIsInternalAndRevealsNothing() {
        Status status = StatusMapper.toStatus(new RuntimeException("secret path /x/y"));

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo(INTERNAL_MESSAGE).doesNotContain("/x/y");
        assertThat(status.getCause()).isNull();
    }

    @Test
    void anErrorIsInternalToo() {
        Status status = StatusMapper.toStatus(new StackOverflowError("deep in /x/y"));

        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getDescription()).isEqualTo(INTERNAL_MESSAGE);
    }

    @Test
    void invalidArgumentCarriesTheMessage() {
        StatusRuntimeException e = StatusMapper.invalidArgument("volume_id is required");

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("volume_id is required");
    }
}
