package io.csi4j.server.status;

import io.csi4j.spi.BackendException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.CapacityExhausted;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidPageToken;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.OperationPending;
import io.csi4j.spi.PermissionDenied;
import io.csi4j.spi.SnapshotNotFound;
import io.csi4j.spi.UseConflict;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeNotFound;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps whatever a service call threw to the status the CSI spec names for it. */
public final class StatusMapper {

    private static final Logger LOG = LoggerFactory.getLogger(StatusMapper.class);

    private StatusMapper() {}

    /**
     * The status for {@code failure}. Expected outcomes keep their message; an unexpected
     * failure is logged with its stack trace and answered with a message that reveals nothing
     * of the driver's internals.
     */
    public static Status toStatus(Throwable failure) {
        return switch (failure) {
            case BackendException e -> Status.fromCode(codeOf(e)).withDescription(bounded(e.getMessage()));
            case StatusRuntimeException e -> e.getStatus();
            case StatusException e -> e.getStatus();
            default -> {
                LOG.error("unexpected failure", failure);
                yield Status.INTERNAL.withDescription(
                        "internal error in the driver; its log has the details under this call's request ID");
            }
        };
    }

    /** The longest description sent: it travels in an HTTP/2 trailer, and may echo caller input. */
    static final int MAX_DESCRIPTION = 1024;

    static String bounded(String message) {
        if (message == null || message.length() <= MAX_DESCRIPTION) {
            return message;
        }
        return message.substring(0, MAX_DESCRIPTION) + "... (" + (message.length() - MAX_DESCRIPTION) + " more characters)";
    }

    /** The code of each backend outcome; the compiler checks every outcome has one. */
    public static Status.Code codeOf(BackendException outcome) {
        return switch (outcome) {
            case InvalidParameter e -> Status.Code.INVALID_ARGUMENT;
            case VolumeNotFound e -> Status.Code.NOT_FOUND;
            case SnapshotNotFound e -> Status.Code.NOT_FOUND;
            case VolumeAlreadyExists e -> Status.Code.ALREADY_EXISTS;
            case CapacityExhausted e -> Status.Code.RESOURCE_EXHAUSTED;
            case CapacityOutOfRange e -> Status.Code.OUT_OF_RANGE;
            case FailedPrecondition e -> Status.Code.FAILED_PRECONDITION;
            case OperationPending e -> Status.Code.ABORTED;
            case BackendUnavailable e -> Status.Code.UNAVAILABLE;
            case InvalidPageToken e -> Status.Code.ABORTED;
            case UseConflict e -> Status.Code.ALREADY_EXISTS;
            case PermissionDenied e -> Status.Code.PERMISSION_DENIED;
        };
    }

    /** {@code value} of the required request field {@code field}; INVALID_ARGUMENT when it is empty. */
    public static String required(String value, String field) {
        if (value.isEmpty()) {
            throw invalidArgument(field + " is required");
        }
        return value;
    }

    /** UNIMPLEMENTED for {@code method}, worded as gRPC words it for methods a service lacks. */
    public static StatusRuntimeException unimplemented(io.grpc.MethodDescriptor<?, ?> method) {
        return Status.UNIMPLEMENTED.withDescription("Method " + method.getFullMethodName() + " is unimplemented")
                .asRuntimeException();
    }

    /** A request the caller got wrong: INVALID_ARGUMENT with a message saying what. */
    public static StatusRuntimeException invalidArgument(String message) {
        return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
}
