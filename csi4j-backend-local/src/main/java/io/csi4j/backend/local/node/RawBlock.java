package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.linux.LoopAttachment;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountFlag;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Raw block volumes: the image stays attached to one read-write loop device from stage to
 * unstage (found again by its image), and each publication binds a device node onto a file.
 */
final class RawBlock {

    private final NodeSide side;

    RawBlock(NodeSide side) {
        this.side = side;
    }

    /** The read-write loop device of a block volume: the one attached, or a new one. */
    LoopDevice device(VolumeRecord record) throws SyscallException {
        Optional<LoopDevice> attached = side.kernel().writableLoop(record);
        if (attached.isPresent()) {
            return attached.get();
        }
        try (LoopAttachment made = side.kernel().attach(record, false, false)) {
            return made.device();
        }
    }

    /**
     * Binds the loop device node onto a file at the target. Read-only gets a read-only device of
     * its own, recorded with the publication: a read-only bind of a device node would not stop
     * writes to the device.
     */
    void publish(VolumeRecord record, Path target, NodeState.Publication publication, Made made) throws IOException {
        LoopDevice device;
        if (publication.readOnly()) {
            try (LoopAttachment attached = side.kernel().attach(record, false, true)) {
                device = attached.device();
            }
            side.states().save(side.states().get(record.id().uuid()).with(new NodeState.Publication(target, true, true,
                    publication.mode(), publication.mountFlags(), device.number())));
        } else {
            device = device(record);
        }
        // A bound device node shows in the mount table as devtmpfs with the node's name as its root.
        String node = "/" + device.path().getFileName();
        Path source = device.path();
        try (PathHandle at = MountPoints.freeFile(target, made)) {
            MountPoints.mountOn(at, made, m -> m.root().equals(node), () -> Mount.bind(source, at,
                    publication.readOnly() ? EnumSet.of(MountFlag.RDONLY) : EnumSet.noneOf(MountFlag.class)));
        }
    }
}
