package io.csi4j.backend.local.volume;

import io.csi4j.spi.OperationPending;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One operation per volume at a time: a second caller is refused at once (ABORTED, and the CO
 * retries) instead of queueing behind a slow disk operation.
 */
public final class KeyLocks {

    private final Set<String> held = ConcurrentHashMap.newKeySet();

    /** A held lock; close it to release. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes {@code key} or throws {@link OperationPending} naming {@code what}.
     */
    public Held acquire(String key, String what) {
        if (!held.add(key)) {
            throw new OperationPending("an operation on " + what + " is already in progress; retry later");
        }
        return () -> held.remove(key);
    }
}
