package io.csi4j.bench.run;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM: the run stops taking operations, lets those in flight finish and then
 * cleans up, instead of the JVM dying with volumes left on the driver. Signals during the cleanup
 * are noted and ignored; {@code kill -9} and {@code bench cleanup} remain for the impatient.
 */
public final class StopSignal {

    private final AtomicBoolean stopped = new AtomicBoolean();
    private final PrintStream err;

    private StopSignal(PrintStream err) {
        this.err = err;
    }

    /** Catches SIGINT and SIGTERM from now on. */
    public static StopSignal install(PrintStream err) {
        StopSignal stop = new StopSignal(err);
        Signal.handle(new Signal("INT"), signal -> stop.signalled(signal.getName()));
        Signal.handle(new Signal("TERM"), signal -> stop.signalled(signal.getName()));
        return stop;
    }

    /** A stop that only {@link #stop()} sets, for runs that catch no signals (setup, tests). */
    public static StopSignal manual() {
        return new StopSignal(System.err);
    }

    public boolean stopped() {
        return stopped.get();
    }

    public void stop() {
        stopped.set(true);
    }

    private void signalled(String name) {
        if (stopped.compareAndSet(false, true)) {
            err.println("\ncsi4j bench: SIG" + name + ": finishing the calls in flight, then removing what this run made");
        } else {
            err.println("\ncsi4j bench: SIG" + name + " again: still cleaning up (kill -9 and `csi4j bench cleanup` to abandon)");
        }
        err.flush();
    }
}
