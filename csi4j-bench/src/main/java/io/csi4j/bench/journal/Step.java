package io.csi4j.bench.journal;

/**
 * Where one object stands. {@link #BEGIN} is written before the call that makes the object, so
 * a call cut short by a crash is still known; {@link #DONE} after it answered; {@link #FAILED}
 * when the driver said for certain that nothing was made; {@link #UNDONE} once it is removed.
 */
public enum Step {
    BEGIN, DONE, FAILED, UNDONE;

    /** Whether an object whose last step is this one may still exist on the driver. */
    public boolean mayExist() {
        return this == BEGIN || this == DONE;
    }
}
