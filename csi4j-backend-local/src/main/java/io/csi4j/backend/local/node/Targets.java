package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.linux.LoopDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publication targets taken down: this volume unmounted from one, the target removed, its device freed. */
final class Targets {

    private static final Logger LOG = LoggerFactory.getLogger(Targets.class);

    private final Kernel kernel;

    Targets(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Unmounts this volume from the target, removes the target, and frees a read-only block device.
     * A recorded publication's target is ours whatever is mounted there now (the image may be gone);
     * an unrecorded one is unmounted only when the mount shows this volume.
     */
    void release(VolumeRecord record, NodeState.Publication publication, boolean recorded) {
        Path target = publication.target();
        if (publication.block()) {
            // A bound device node: the mount table names the devtmpfs, not the device.
            long dev = Kernel.deviceOf(target);
            Kernel.unmountAll(target, m -> recorded || kernel.hasDevice(record, dev));
        } else {
            Kernel.unmountAll(target, m -> recorded || kernel.shows(m, record));
        }
        remove(target);
        if (publication.device() >= 0) {
            LoopDevice device = new LoopDevice(publication.device());
            if (kernel.carries(device, record) && Kernel.mountOf(device).isEmpty()) {
                Kernel.detach(device);
            }
        }
    }

    /**
     * Removes a target that nothing is mounted on: an empty directory, or the empty file a block
     * publication used. Anything holding data stays.
     */
    static void remove(Path target) {
        if (Kernel.mountAt(target).isPresent()) {
            LOG.warn("leaving {} alone: something not of this volume is mounted there", target);
            return;
        }
        try {
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(target);
            } else if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.size(target) == 0) {
                Files.delete(target);
            }
        } catch (NoSuchFileException e) {
            // gone already
        } catch (DirectoryNotEmptyException e) {
            LOG.warn("leaving {} in place: it is not empty", target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + target, e);
        }
    }
}
