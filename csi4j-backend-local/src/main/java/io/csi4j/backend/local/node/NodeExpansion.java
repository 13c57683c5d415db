package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.ToolException;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.VolumeNotFound;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodeExpandVolume: after the controller grew an image, its loop devices learn the new size and
 * a staged filesystem grows to it. Directory volumes have nothing to do here.
 */
final class NodeExpansion {

    private static final Logger LOG = LoggerFactory.getLogger(NodeExpansion.class);

    private final NodeSide side;
    private final Filesystems filesystems;

    NodeExpansion(NodeSide side, Filesystems filesystems) {
        this.side = side;
        this.filesystems = filesystems;
    }

    long expand(String volumeId, Path requestedPath, CapacityRange range) {
        Path volumePath = requestedPath; // as given: through a link is not where the volume is
        LocalVolumeId id = side.requests().ours(volumeId);
        try (KeyLocks.Held ignored = side.requests().lock(id)) {
            VolumeRecord record = side.requests().existing(id);
            NodeState state = side.states().get(id.uuid());
            boolean staged = state != null && state.staging().filter(volumePath::equals).isPresent();
            boolean published = state != null && state.publication(volumePath).isPresent();
            if (!staged && !published) {
                throw new VolumeNotFound("volume " + volumeId + " is neither staged nor published at " + volumePath);
            }
            if (range.hasRequired() && range.requiredBytes() > record.capacityBytes()) {
                throw new CapacityOutOfRange("volume " + volumeId + " has " + record.capacityBytes()
                        + " bytes; grow it with ControllerExpandVolume first");
            }
            if (record.type() != VolumeType.IMAGE) {
                return record.capacityBytes(); // a directory's limit is the controller's business
            }
            try {
                for (LoopDevice device : side.kernel().loops(record)) {
                    device.setCapacity();
                }
                growStagedFilesystem(record, state);
            } catch (IOException e) {
                throw Requests.failure(e, "cannot expand volume " + volumeId);
            }
            LOG.info("volume {} expanded on this node to {} bytes", id, record.capacityBytes());
            return record.capacityBytes();
        }
    }

    private void growStagedFilesystem(VolumeRecord record, NodeState state) throws IOException {
        Path staging = state.staging().orElse(null);
        if (record.block() || staging == null || side.kernel().stagingProblem(record, state).isPresent() || !record.growPending()) {
            return;
        }
        LoopDevice device = Kernel.loopMountedAt(staging);
        try {
            filesystems.grow(record, device.path(), staging);
        } catch (ToolException e) {
            if (!record.fsType().startsWith("ext")) {
                throw e;
            }
            // Online ext growth needs CAP_SYS_RESOURCE; without it the filesystem grows
            // at the next stage (growPending stays set), and the CO hears why now.
            throw new FailedPrecondition("the " + record.fsType() + " filesystem of volume " + record.id()
                    + " cannot grow while mounted on this node (" + e.getMessage()
                    + "); it grows when the volume is next staged");
        }
    }
}
