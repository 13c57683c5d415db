package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountOptions;
import io.csi4j.linux.PathHandle;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.OperationPending;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.UseConflict;
import io.csi4j.spi.VolumeCapability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodeStageVolume and NodeUnstageVolume: an image's filesystem mounted at the staging path (see
 * {@link Filesystems}), a directory bind-mounted there, or a raw block device attached. The intent
 * is recorded first; a repeat that finds the kernel apart from the record repairs the staging.
 */
final class Staging {

    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);

    private final NodeSide side;
    private final Filesystems filesystems;
    private final RawBlock rawBlock;

    Staging(NodeSide side, Filesystems filesystems, RawBlock rawBlock) {
        this.side = side;
        this.filesystems = filesystems;
        this.rawBlock = rawBlock;
    }

    void stage(StageRequest request) {
        Requests.parsedFlags(request.capability());
        LocalVolumeId id = side.requests().ours(request.volumeId());
        Path staging = side.requests().callerPath(request.stagingPath());
        try (KeyLocks.Held ignored = side.requests().lock(id)) {
            stageLocked(side.requests().existing(id), staging, request.capability(), "");
        }
    }

    /** Stages the volume; the caller holds its lock. */
    void stageLocked(VolumeRecord record, Path staging, VolumeCapability capability, String ephemeralId) {
        Requests.fits(record, capability);
        MountOptions mount = Requests.mountOptions(record, capability);
        NodeState state = side.states().getOrFresh(record, ephemeralId);
        List<String> flags = Requests.flags(capability);
        if (state.staging().isPresent() && keptOrRepaired(record, state, staging, capability, flags)) {
            return;
        }
        Optional<MountInfo> occupied = Kernel.mountAt(staging);
        if (occupied.isPresent() && !side.kernel().shows(occupied.get(), record)) {
            throw MountPoints.foreign(staging, occupied.get());
        }
        side.states().save(state.staged(staging, capability.isBlock(), capability.mode().name(), flags));
        Made made = new Made();
        try {
            if (capability.isBlock()) {
                rawBlock.device(record);
            } else if (record.type() == VolumeType.DIRECTORY) {
                try (PathHandle at = MountPoints.freeDirectory(staging, made)) {
                    Path directory = side.layout().directory(record.id());
                    MountPoints.mountOn(at, made, m -> side.kernel().shows(m, record),
                            () -> Mount.bind(directory, at, mount.perMountFlags()));
                }
            } else {
                filesystems.mount(record, staging, mount, made);
            }
        } catch (RuntimeException | IOException e) {
            undo(record, staging, made, e);
            throw Requests.failure(e, "cannot stage volume " + record.id());
        }
        LOG.info("staged volume {} at {}", record.id(), staging);
    }

    /**
     * For a volume recorded as staged: true when the staging stands as asked (nothing to do),
     * false once a staging the kernel lost was taken down to be made again; a sound staging that
     * differs from the request is a conflict.
     */
    private boolean keptOrRepaired(VolumeRecord record, NodeState state, Path staging, VolumeCapability capability,
                                   List<String> flags) {
        Path old = state.staging().get();
        Optional<String> problem = side.kernel().stagingProblem(record, state);
        boolean same = old.equals(staging) && state.block() == capability.isBlock()
                && state.mode().equals(capability.mode().name()) && state.mountFlags().equals(flags);
        if (problem.isEmpty() && same) {
            return true;
        }
        if (problem.isEmpty()) {
            throw new UseConflict("volume " + record.id() + " is already staged at " + old
                    + (old.equals(staging) ? " with another capability" : "") + "; unstage it first");
        }
        LOG.info("volume {}: repairing its staging at {}: {}", record.id(), old, problem.get());
        tearDown(record, old);
        return false;
    }

    /**
     * Takes back what this failed call made, and only that (its own mount, the staging directory if
     * it made it, the volume's devices nothing uses); the intent stays if that fails too, for a
     * retry or an unstage.
     */
    private void undo(VolumeRecord record, Path staging, Made made, Exception failure) {
        try {
            MountPoints.unmountOwn(staging, made);
            if (made.madePath()) {
                Targets.remove(staging);
            }
            freeDevices(record, staging);
            side.states().save(side.states().get(record.id().uuid()).unstaged());
        } catch (RuntimeException undo) {
            failure.addSuppressed(undo);
        }
    }

    void unstage(String volumeId, Path stagingPath) {
        Optional<LocalVolumeId> parsed = side.requests().oursIfAny(volumeId);
        if (parsed.isEmpty()) {
            return; // not a volume of this node: nothing of ours is staged
        }
        Path staging = side.requests().callerPath(stagingPath);
        try (KeyLocks.Held ignored = side.requests().lock(parsed.get())) {
            unstageLocked(parsed.get(), staging);
        }
    }

    /** Unstages the volume; the caller holds its lock. */
    void unstageLocked(LocalVolumeId id, Path stagingPath) {
        NodeState state = side.states().get(id.uuid());
        if (state == null || state.staging().isEmpty() || !state.staging().get().equals(stagingPath)) {
            return; // not staged there
        }
        state = forgetVanishedPublications(id, state);
        Optional<VolumeRecord> record = side.provisioner().record(id.uuid());
        if (record.isPresent()) {
            tearDown(record.get(), stagingPath);
        } else {
            Kernel.unmountAll(stagingPath, m -> true);
        }
        side.states().save(state.unstaged());
        LOG.info("unstaged volume {} from {}", id, stagingPath);
    }

    /** Publications the kernel no longer shows (a reboot) are forgotten; a live one refuses the unstage. */
    private NodeState forgetVanishedPublications(LocalVolumeId id, NodeState state) {
        for (NodeState.Publication publication : state.publications()) {
            if (Kernel.mountAt(publication.target()).isPresent()) {
                throw new FailedPrecondition("volume " + id + " is still published at " + publication.target()
                        + "; unpublish it first");
            }
            LOG.info("volume {}: forgetting its vanished publication at {}", id, publication.target());
            Optional<VolumeRecord> owner = side.provisioner().record(id.uuid());
            if (owner.isPresent()) {
                side.targets().release(owner.get(), publication, true); // frees its read-only device, if it had one
            }
            state = state.without(publication.target());
            side.states().save(state);
        }
        return state;
    }

    /**
     * Unmounts this volume at {@code staging} (whatever is there, when the staging is recorded:
     * its image may be gone) and frees its unused loop devices.
     */
    private void tearDown(VolumeRecord record, Path staging) {
        NodeState state = side.states().get(record.id().uuid());
        boolean recorded = state != null && state.staging().filter(staging::equals).isPresent();
        Kernel.unmountAll(staging, m -> recorded || side.kernel().shows(m, record));
        freeDevices(record, staging);
    }

    /** Frees the volume's loop devices that nothing uses; OperationPending while one lingers. */
    private void freeDevices(VolumeRecord record, Path staging) {
        if (record.type() == VolumeType.IMAGE) {
            List<LoopDevice> held = side.kernel().detachUnused(record, side.states().get(record.id().uuid()));
            if (!held.isEmpty()) {
                // Never OK while the device lingers: the CO's DeleteVolume right after would find the
                // image attached. The spec's NodeUnstageVolume table has no row for "not done yet";
                // of its general errors, ABORTED (operation pending for the volume) is the one whose
                // recovery is to call again with back-off, and the staging stays recorded, so the
                // retry finishes the work. FAILED_PRECONDITION would ask the CO to fix something
                // first, and INTERNAL promises nothing.
                throw new OperationPending("the filesystem of volume " + record.id() + " is unmounted from " + staging
                        + ", but the kernel still holds " + held.stream().map(d -> d.path().toString()).toList()
                        + " " + Kernel.RELEASE_WAIT.toSeconds() + " s later (something has the device open); "
                        + "retry to finish once it lets go");
            }
            // A device the staging's teardown could not free because the image is mounted somewhere
            // else too (by hand, or a mount the driver never made): the volume is still in use.
            for (LoopDevice device : side.kernel().loops(record)) {
                Optional<MountInfo> elsewhere = Kernel.mountOf(device);
                if (elsewhere.isPresent()) {
                    Path at = elsewhere.get().mountPoint();
                    NodeState state = side.states().get(record.id().uuid());
                    boolean published = state != null && state.publication(at).isPresent();
                    throw new FailedPrecondition("volume " + record.id() + " is unmounted from " + staging
                            + ", but its image is still mounted at " + at + " through " + device.path() + "; "
                            + (published ? "it is still published there: unpublish it first"
                                    : "this driver did not mount it there: unmount it there first"));
                }
            }
        }
    }
}
