package io.csi4j.bench.run;

import java.time.Duration;

/** When a run stops taking new operations: after a number of them, or after a time. */
public sealed interface Limit {

    /** Whether operation number {@code index} (from 0) may still start at {@code nanoTime}. */
    boolean admits(long index, long nanoTime, long startNanos);

    record Count(long operations) implements Limit {
        public Count {
            if (operations < 0) {
                throw new IllegalArgumentException("a negative number of operations");
            }
        }

        @Override
        public boolean admits(long index, long nanoTime, long startNanos) {
            return index < operations;
        }
    }

    record Time(Duration duration) implements Limit {
        @Override
        public boolean admits(long index, long nanoTime, long startNanos) {
            return nanoTime - startNanos < duration.toNanos();
        }
    }
}
