package io.csi4j.kernel.smoke;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Undo steps of a test fixture (umount, losetup -d, stop a server), run in reverse order when the
 * try-with-resources block ends, also when the test failed; every step runs even if one fails.
 */
final class Cleanup implements AutoCloseable {

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    void add(Step step) {
        steps.push(step);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!steps.isEmpty()) {
            try {
                steps.pop().run();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
