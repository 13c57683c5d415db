package io.csi4j.linux;

import java.util.Objects;

/**
 * Hears how system tools ran and loop devices attached, for monitoring, without this layer knowing
 * who listens: the driver sets one listener for the process. The default hears nothing.
 */
public interface ToolRuns {

    /** How a tool run ended. */
    enum Outcome { ok, failed, timed_out, error }

    /** {@code tool} (the binary's name, like {@code mkfs.ext4}) ran for {@code nanos} and ended so. */
    void finished(String tool, Outcome outcome, long nanos);

    /** A loop device could not be attached to an image. */
    default void loopAttachFailed() {}

    /** Sets the process's listener. */
    static void listen(ToolRuns listener) {
        Holder.listener = Objects.requireNonNull(listener, "listener");
    }

    static ToolRuns listener() {
        return Holder.listener;
    }

    /** Where the listener is kept; volatile, since it is set once at start and read on every run. */
    final class Holder {
        private static volatile ToolRuns listener = (tool, outcome, nanos) -> {};

        private Holder() {}
    }
}
