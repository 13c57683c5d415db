package io.csi4j.bench.run;

/** A workload's setup could not make what its operations need; the run ends after cleanup. */
public final class SetupFailed extends RuntimeException {

    public SetupFailed(String message) {
        super(message, null, false, false);
    }
}
