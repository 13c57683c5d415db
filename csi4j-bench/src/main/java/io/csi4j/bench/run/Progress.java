package io.csi4j.bench.run;

import java.io.PrintStream;
import java.util.Locale;

/** The live progress of a run: one line rewritten in place on a terminal, nothing elsewhere. */
public sealed interface Progress {

    void update(long done, long failed, double seconds);

    /** Clears the line, so that the report starts on a clean one. */
    void finish();

    Progress NONE = new None();

    /** On {@code out} when it is a terminal, else nothing. */
    static Progress on(PrintStream out, boolean terminal) {
        return terminal ? new Line(out) : NONE;
    }

    record None() implements Progress {
        @Override
        public void update(long done, long failed, double seconds) {}

        @Override
        public void finish() {}
    }

    record Line(PrintStream out) implements Progress {
        @Override
        public void update(long done, long failed, double seconds) {
            out.printf(Locale.ROOT, "\r%d ops  %.1f ops/s  %d failed  %.0f s   ", done, seconds > 0 ? done / seconds : 0.0,
                    failed, seconds);
            out.flush();
        }

        @Override
        public void finish() {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
