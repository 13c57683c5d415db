package io.csi4j.spi;

import java.util.Objects;

/** Whether a backend can serve requests, and if not, why. */
public sealed interface Readiness {

    /** The backend serves requests. */
    record Ready() implements Readiness {}

    /** The backend cannot serve requests; {@code reason} says why in words an operator can act on. */
    record NotReady(String reason) implements Readiness {
        public NotReady {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Readiness ready() {
        return new Ready();
    }

    static Readiness notReady(String reason) {
        return new NotReady(reason);
    }
}
