package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.InvalidParameter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
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
        freeDevice(record, publication);
    }

    /** Detaches the read-only device a block publication had of its own, once nothing mounts it. */
    void freeDevice(VolumeRecord record, NodeState.Publication publication) {
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
        // Through the parent's handle: a target (or a directory above it) swapped for a link is
        // refused, and what is removed is the entry itself, never what a link points to.
        Optional<PathHandle> opened = MountPoints.parentOf(target);
        if (opened.isEmpty()) {
            return;
        }
        String name = target.getFileName().toString();
        try (PathHandle parent = opened.get()) {
            Optional<PathHandle.Kind> kind = parent.childKind(name);
            if (kind.isEmpty()) {
                return;
            }
            switch (kind.get()) {
                case DIRECTORY -> parent.removeDirectory(name);
                case REGULAR_FILE -> {
                    boolean empty;
                    try (PathHandle file = parent.child(name)) {
                        empty = file.stat().size() == 0;
                    }
                    if (empty) {
                        parent.removeFile(name);
                    }
                }
                case SYMBOLIC_LINK -> throw new InvalidParameter(target + " is a symbolic link; nothing was removed");
                default -> LOG.warn("leaving {} in place: not a directory or a file", target);
            }
        } catch (SyscallException e) {
            switch (e.errno()) {
                case SyscallException.ENOENT -> { } // gone meanwhile
                case SyscallException.ENOTEMPTY, SyscallException.EBUSY -> LOG.warn("leaving {} in place: it is not empty", target);
                case SyscallException.ENOTDIR, SyscallException.ELOOP -> throw new InvalidParameter(target
                        + " became a symbolic link while it was being removed; left alone", e);
                default -> throw new UncheckedIOException("cannot remove " + target, e);
            }
        }
    }
}
