package io.csi4j.backend.local.snapshot;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.Freeze;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.BackendUnavailable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a snapshot (or a clone) is frozen: the filesystems of those source volumes that are
 * mounted on this node are frozen (FIFREEZE) around the copy, so the copy mounts clean; a group
 * freezes all its volumes first, then copies. A watchdog thaws a filesystem after
 * {@link #MAX_FROZEN} whatever happens, and a copy it outlasted is refused.
 */
final class Freezer {

    /** Longest a volume stays frozen for a snapshot; the watchdog thaws it after that, whatever happens. */
    static final Duration MAX_FROZEN = Duration.ofSeconds(120);

    private final Function<String, Optional<Path>> mountedFilesystem;

    /** @param mountedFilesystem where a volume's filesystem is mounted on this node, by volume UUID */
    Freezer(Function<String, Optional<Path>> mountedFilesystem) {
        this.mountedFilesystem = mountedFilesystem;
    }

    /** The filesystems of several volumes, frozen; closing thaws them all. */
    static final class Frozen implements AutoCloseable {
        private final List<Freeze.Frozen> frozen = new ArrayList<>();

        /** Fails when the watchdog thawed a filesystem before the copy was done: the copy may be torn. */
        void checkHeld() {
            for (Freeze.Frozen f : frozen) {
                if (f.thawedByWatchdog()) {
                    throw new BackendUnavailable("the filesystem at " + f.mountPoint() + " could not stay "
                            + "frozen for the whole copy (over " + MAX_FROZEN.toSeconds() + " s); the copy was abandoned");
                }
            }
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (Freeze.Frozen f : frozen.reversed()) {
                try {
                    f.close();
                } catch (IOException e) {
                    failure = failure == null ? new UncheckedIOException("cannot thaw " + f.mountPoint(), e) : failure;
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Runs {@code work} (a clone's copy) with the volume's filesystem frozen if it is mounted here. */
    <T> T frozenWhile(VolumeRecord volume, Supplier<T> work) {
        try (Frozen frozen = freeze(List.of(volume))) {
            T done = work.get();
            frozen.checkHeld(); // the caller undoes its half-made clone
            return done;
        }
    }

    /** Freezes the filesystems of those volumes that are mounted on this node (images only). */
    Frozen freeze(List<VolumeRecord> volumes) {
        Frozen all = new Frozen();
        try {
            for (VolumeRecord volume : volumes) {
                if (volume.type() != VolumeType.IMAGE || volume.block()) {
                    continue; // a directory's filesystem is the data directory's: freezing it stops everything
                }
                Optional<Path> mount = mountedFilesystem.apply(volume.id().uuid());
                if (mount.isPresent()) {
                    all.frozen.add(Freeze.freeze(mount.get(), MAX_FROZEN));
                }
            }
            return all;
        } catch (SyscallException | RuntimeException e) {
            all.close();
            throw e instanceof SyscallException s ? new UncheckedIOException("cannot freeze a volume for its snapshot", s)
                    : (RuntimeException) e;
        }
    }
}
