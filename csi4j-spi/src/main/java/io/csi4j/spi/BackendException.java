package io.csi4j.spi;

/**
 * The outcomes of a backend call that a caller must tell apart. The family is sealed so the one
 * place that maps outcomes to wire codes is checked by the compiler to cover every case. Messages
 * are meant for the caller: they name the volume or parameter, never a secret and never an
 * internal path outside the driver's roots.
 */
public sealed abstract class BackendException extends RuntimeException
        permits InvalidParameter, VolumeNotFound, SnapshotNotFound, VolumeAlreadyExists,
                CapacityExhausted, CapacityOutOfRange, FailedPrecondition, OperationPending,
                BackendUnavailable, InvalidPageToken, UseConflict, PermissionDenied {

    protected BackendException(String message) {
        super(message);
    }

    protected BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
