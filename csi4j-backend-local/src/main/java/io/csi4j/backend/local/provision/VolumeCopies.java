package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.AtomicFiles;
import io.csi4j.backend.local.store.SnapshotRecord;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.VolumeType;

import io.csi4j.linux.Btrfs;
import io.csi4j.linux.FileCopy;
import io.csi4j.linux.TreeCopy;
import io.csi4j.spi.CapacityExhausted;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies of volume data: snapshots of volumes, volumes restored from snapshots, clones of
 * volumes. Images are reflinked where the data directory's filesystem can (XFS with reflink,
 * btrfs: the same short time whatever the size), else copied sparsely; directories become a
 * read-only subvolume snapshot on btrfs, else a tree copy (reflink per file where possible).
 */
public final class VolumeCopies {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeCopies.class);

    private final LocalLayout layout;
    private final CapacityEnforcer enforcer;

    VolumeCopies(LocalLayout layout, CapacityEnforcer enforcer) {
        this.layout = layout;
        this.enforcer = enforcer;
    }

    /** Where a volume's data is. */
    Path data(VolumeRecord volume) {
        return volume.type() == VolumeType.IMAGE ? layout.image(volume.id()) : layout.directory(volume.id());
    }

    /** Where a snapshot's data is. */
    public Path data(SnapshotRecord snapshot) {
        return snapshot.type() == VolumeType.IMAGE ? layout.snapshotImage(snapshot.id()) : layout.snapshotDirectory(snapshot.id());
    }

    /** Copies a volume's data into a new snapshot. */
    public void snapshot(VolumeRecord volume, SnapshotRecord snapshot) {
        Path source = data(volume);
        Path target = data(snapshot);
        try {
            if (volume.type() == VolumeType.DIRECTORY && Btrfs.isSubvolume(source)) {
                Btrfs.snapshot(source, target, true); // instant, and atomic: no freeze needed
            } else {
                copy(source, target);
            }
        } catch (IOException e) {
            throw failure(e, "cannot snapshot volume " + volume.id());
        }
    }

    /**
     * Fills a new volume (record saved, data not yet made) from {@code source} (a snapshot's or a
     * volume's data), grown to the new volume's size.
     *
     * @return the record, with what enforces a directory's capacity
     */
    VolumeRecord fill(VolumeRecord volume, Path source) {
        Path target = data(volume);
        try {
            return switch (volume.type()) {
                case IMAGE -> {
                    copy(source, target);
                    try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                        file.setLength(volume.capacityBytes());
                        file.getFD().sync();
                    }
                    // Always: the source's own filesystem may not have caught up with its image yet,
                    // and growing one that fills its device changes nothing.
                    yield volume.block() ? volume : volume.withGrowPending(true);
                }
                case DIRECTORY -> {
                    VolumeRecord made = volume;
                    if (volume.capacityEnforced()) {
                        made = volume.withQuotaId(enforcer.create(target, volume.capacityBytes(), (int) volume.quotaId()));
                    } else {
                        Files.createDirectory(target);
                    }
                    // Copied into the limited directory, so the files count against its quota.
                    TreeCopy.copy(source, target);
                    yield made;
                }
            };
        } catch (IOException e) {
            throw failure(e, "cannot fill volume " + volume.id());
        }
    }

    /** Removes a snapshot's data; not an error when it is gone. */
    public void remove(SnapshotRecord snapshot) {
        Path data = data(snapshot);
        try {
            if (Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
                if (Btrfs.isSubvolume(data)) {
                    Btrfs.deleteSubvolume(data);
                } else {
                    VolumeData.deleteTree(data);
                }
            } else {
                Files.deleteIfExists(data);
            }
            AtomicFiles.syncDirectory(layout.snapshots());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the data of snapshot " + snapshot.id(), e);
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            TreeCopy.copy(source, target);
        } else {
            FileCopy.cloneOrCopy(source, target);
        }
        LOG.debug("copied {} to {}", source, target);
    }

    private static RuntimeException failure(IOException e, String what) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("No space left") || message.contains("ENOSPC") || message.contains("Disk quota")) {
            return new CapacityExhausted(what + ": no space left in the data directory");
        }
        return new UncheckedIOException(what, e);
    }
}
