package io.csi4j.bench.run;

import io.csi4j.bench.stats.CallOutcome;
import io.grpc.Status;
import java.util.Set;

/**
 * A CSI call failed: it is already counted, and the operation that made it stops here. Thrown
 * by {@link Csi}, caught by the {@link Runner}.
 */
public final class CallFailed extends RuntimeException {

    /**
     * Codes after which the object a call was making may exist: the answer was lost or the work
     * goes on (deadline, unavailable, ...), or an object of that name is there already. It must
     * stay in the journal for cleanup. Any other code means the driver made nothing.
     */
    private static final Set<Status.Code> MAY_HAVE_MADE = Set.of(Status.Code.DEADLINE_EXCEEDED, Status.Code.UNAVAILABLE,
            Status.Code.CANCELLED, Status.Code.ABORTED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.UNKNOWN,
            Status.Code.ALREADY_EXISTS);

    private final transient CallOutcome.Failed outcome;

    CallFailed(CallOutcome.Failed outcome) {
        super(outcome.rpc() + ": " + outcome.code() + ": " + outcome.message(), null, false, false);
        this.outcome = outcome;
    }

    public CallOutcome.Failed outcome() {
        return outcome;
    }

    public Status.Code code() {
        return outcome.code();
    }

    /** Whether the object the call was making may exist all the same. */
    public boolean mayHaveMade() {
        return MAY_HAVE_MADE.contains(outcome.code());
    }
}
