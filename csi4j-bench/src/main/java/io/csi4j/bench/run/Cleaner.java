package io.csi4j.bench.run;

import io.csi4j.bench.journal.Leftovers;
import io.csi4j.bench.journal.Made;
import io.csi4j.bench.journal.Pending;
import io.csi4j.bench.journal.Step;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Removes what a journal lists, in the order a CO would: unpublish, unstage, detach, delete
 * snapshots, delete volumes. A volume or snapshot whose creating call never answered is created
 * again by name (both RPCs are idempotent by name) to learn its ID, then deleted: creating it
 * anew when the first call never reached the driver is harmless, since it goes at once.
 * Signals do not stop a cleanup.
 */
public final class Cleaner {

    private final Csi csi;
    private final int concurrency;

    public Cleaner(Csi csi, int concurrency) {
        this.csi = csi;
        this.concurrency = concurrency;
    }

    /** Removes every object in {@code leftovers}; what could not be removed stays in the journal. */
    public void clean(Leftovers leftovers) {
        undo(leftovers.of(Made.Publication.class), pending -> {
            Made.Publication publication = (Made.Publication) pending.made();
            tolerateNotFound(() -> csi.unpublish(publication.volumeId(), publication.path()),
                    () -> csi.journal().append(Step.UNDONE, publication, ""));
            removeDirectory(publication.path());
        });
        undo(leftovers.of(Made.Staging.class), pending -> {
            Made.Staging staging = (Made.Staging) pending.made();
            tolerateNotFound(() -> csi.unstage(staging.volumeId(), staging.path()),
                    () -> csi.journal().append(Step.UNDONE, staging, ""));
            removeDirectory(staging.path());
        });
        undo(leftovers.of(Made.Attachment.class), pending -> {
            Made.Attachment attachment = (Made.Attachment) pending.made();
            tolerateNotFound(() -> csi.detach(attachment.volumeId(), attachment.nodeId()),
                    () -> csi.journal().append(Step.UNDONE, attachment, ""));
        });
        undo(leftovers.of(Made.Snapshot.class), pending -> {
            Made.Snapshot snapshot = (Made.Snapshot) pending.made();
            String id = pending.id().isEmpty()
                    ? csi.createSnapshot(snapshot.name(), snapshot.sourceVolumeId()).getSnapshotId()
                    : pending.id();
            tolerateNotFound(() -> csi.deleteSnapshot(snapshot, id),
                    () -> csi.journal().append(Step.UNDONE, snapshot, id));
        });
        undo(leftovers.of(Made.Volume.class), pending -> {
            Made.Volume volume = (Made.Volume) pending.made();
            String id = pending.id().isEmpty() ? csi.createVolume(volume.name()).getVolumeId() : pending.id();
            tolerateNotFound(() -> csi.deleteVolume(volume.name(), id),
                    () -> csi.journal().append(Step.UNDONE, volume, id));
        });
    }

    /** Applies {@code undo} to each pending object, several at once. */
    private void undo(List<Pending> pending, Consumer<Pending> undo) {
        if (pending.isEmpty()) {
            return;
        }
        new Runner(Math.min(concurrency, pending.size()), StopSignal.manual()).run(csi, "cleanup-",
                new Limit.Count(pending.size()), (ignoredCsi, name, index) -> undo.accept(pending.get((int) index)),
                Progress.NONE);
    }

    /** Runs a removing call; NOT_FOUND means it is gone already, which is what cleanup wants. */
    private static void tolerateNotFound(Runnable call, Runnable gone) {
        try {
            call.run();
        } catch (CallFailed e) {
            if (e.code() != Status.Code.NOT_FOUND) {
                throw e;
            }
            gone.run();
        }
    }

    /** Removes a staging or target directory the run made, once nothing is mounted there (an empty one). */
    public static void removeDirectory(String path) {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (DirectoryNotEmptyException e) {
            // still mounted or holding data: leave it for a person to look at
        } catch (IOException e) {
            // not ours to fight over; the report lists nothing for it
        }
    }
}
