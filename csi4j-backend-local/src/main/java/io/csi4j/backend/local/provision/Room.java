package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.FileAllocation;
import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.SyscallException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Room for new volumes, accounted: the bytes promised to volumes (their reserved capacity) against
 * the data directory's free space, less what they already wrote, which is gone from the free space
 * already. Check and promise are one step, so concurrent creates cannot both take the last of it.
 */
final class Room {

    private final AtomicLong promisedBytes = new AtomicLong();
    /** Of the promised bytes, those already written (allocated) inside image files, per volume. */
    private final Map<String, Long> writtenByUuid = new HashMap<>();
    private final AtomicLong writtenBytes = new AtomicLong();
    private final Object allocationLock = new Object();

    /** Promises {@code bytes} if the room allows; nothing to promise always fits. */
    boolean reserve(long bytes, FileSystemStats fs) {
        while (bytes > 0) {
            long promised = promisedBytes.get();
            if (bytes > fs.availableBytes() - (promised - writtenBytes.get())) {
                return false;
            }
            if (promisedBytes.compareAndSet(promised, promised + bytes)) {
                break;
            }
        }
        return true;
    }

    /** Adds {@code bytes} to the promises whatever the room (a volume found at start). */
    void promise(long bytes) {
        promisedBytes.addAndGet(bytes);
    }

    /** Takes back {@code bytes} of the promises. */
    void release(long bytes) {
        promisedBytes.addAndGet(-bytes);
    }

    /** Forgets what a deleted volume had written. */
    void forget(String uuid) {
        synchronized (allocationLock) {
            Long written = writtenByUuid.remove(uuid);
            writtenBytes.addAndGet(written == null ? 0 : -written);
        }
    }

    /**
     * Room for new promises: free space minus what existing volumes were promised and have not
     * written yet. What they wrote is known as of the last {@link #refresh}, and until then counts
     * as unwritten (the safe side).
     */
    long room(FileSystemStats fs) {
        return fs.availableBytes() - (promisedBytes.get() - writtenBytes.get());
    }

    long promised() {
        return promisedBytes.get();
    }

    long written() {
        return writtenBytes.get();
    }

    /**
     * Reads how much each promised image has written (its allocated blocks). Costs a stat per
     * volume, so it runs off the call path, every little while.
     *
     * @param indexed whether a volume (by UUID) still exists; a deleted one is not counted again
     */
    void refresh(Iterable<VolumeRecord> volumes, Predicate<String> indexed, LocalLayout layout) {
        for (VolumeRecord record : volumes) {
            if (record.type() != VolumeType.IMAGE || record.reservedBytes() == 0) {
                continue;
            }
            long written;
            try {
                written = Math.min(FileAllocation.allocatedBytes(layout.image(record.id())), record.reservedBytes());
            } catch (SyscallException e) {
                continue; // deleted meanwhile, or damaged: its condition says so
            }
            synchronized (allocationLock) {
                if (indexed.test(record.id().uuid())) {
                    Long before = writtenByUuid.put(record.id().uuid(), written);
                    writtenBytes.addAndGet(written - (before == null ? 0 : before));
                }
            }
        }
    }
}
