package io.csi4j.bench.stats;

import io.grpc.Status;

/** How one timed call ended: it answered, or it failed with a gRPC code. */
public sealed interface CallOutcome {

    /** The RPC's name, e.g. {@code CreateVolume}; {@code operation} for a whole operation. */
    String rpc();

    /** How long the call took. */
    long nanos();

    record Succeeded(String rpc, long nanos) implements CallOutcome {}

    /** @param message the driver's message, already stripped of secret values */
    record Failed(String rpc, long nanos, Status.Code code, String message) implements CallOutcome {}
}
