package io.csi4j.backend.nfs.node;

import io.csi4j.spi.OperationPending;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Try-locks of the node's calls: one call at a time per volume and per CO path, so two calls
 * naming the same staging or target path (for one volume or for two) never mount or unmount
 * there at once. A second call is not queued but refused (ABORTED: the CO retries).
 */
final class Claims {

    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /** A held claim; closing it lets the next call in. */
    interface Claim extends AutoCloseable {
        @Override
        void close();
    }

    /** Claims the volume and the paths, all or none. */
    Claim claim(String volumeId, Path... paths) {
        List<String> keys = new ArrayList<>(paths.length + 1);
        keys.add("volume " + volumeId);
        for (Path path : paths) {
            keys.add("path " + path.normalize());
        }
        List<String> taken = new ArrayList<>(keys.size());
        for (String key : keys) {
            if (!busy.add(key)) {
                taken.forEach(busy::remove);
                throw new OperationPending("an operation on " + key
                        + " is already in progress; retry later");
            }
            taken.add(key);
        }
        return () -> taken.forEach(busy::remove);
    }
}
