package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountFlag;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountOptions;
import io.csi4j.linux.PathHandle;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.UseConflict;
import io.csi4j.spi.VolumeCapability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NodePublishVolume and NodeUnpublishVolume of provisioned volumes: a bind mount of the staging
 * mount at the target, or of the loop device node for raw block ({@link RawBlock}). A publication
 * (or a staging under it) that a reboot or crash took away is repaired here, on the CO's next call.
 */
final class Publications {

    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);

    private final NodeSide side;
    private final Staging staging;
    private final RawBlock rawBlock;

    Publications(NodeSide side, Staging staging, RawBlock rawBlock) {
        this.side = side;
        this.staging = staging;
        this.rawBlock = rawBlock;
    }

    void publish(PublishRequest request) {
        Requests.parsedFlags(request.capability());
        LocalVolumeId id = side.requests().ours(request.volumeId());
        Path stagingPath = side.requests().callerPath(request.stagingPath()
                .orElseThrow(() -> new InvalidParameter("staging_target_path is required")));
        Path target = side.requests().callerPath(request.targetPath());
        try (KeyLocks.Held ignored = side.requests().lock(id)) {
            publishLocked(side.requests().existing(id), stagingPath, new PublishRequest(request.volumeId(),
                    Optional.of(stagingPath), target, request.capability(), request.readOnly(), request.context()));
        }
    }

    /** Publishes the volume; the caller holds its lock. */
    void publishLocked(VolumeRecord record, Path stagingPath, PublishRequest request) {
        VolumeCapability capability = request.capability();
        Requests.fits(record, capability);
        boolean readOnly = request.readOnly() || capability.mode().readOnly();
        MountOptions mount = Requests.mountOptions(record, capability).withReadOnly(readOnly);
        Path target = request.targetPath();
        NodeState state = stagedAs(record, stagingPath, capability, target);
        NodeState.Publication wanted = new NodeState.Publication(target, readOnly, capability.isBlock(),
                capability.mode().name(), Requests.flags(capability), -1);
        Optional<NodeState.Publication> existing = state.publication(target);
        if (existing.isPresent()) {
            Optional<NodeState> repaired = keptOrRepaired(record, existing.get(), wanted);
            if (repaired.isEmpty()) {
                return;
            }
            state = repaired.get();
        } else if (Kernel.mountAt(target).isPresent()) {
            throw MountPoints.foreign(target, Kernel.mountAt(target).get());
        }
        side.states().save(state.with(wanted));
        Made made = new Made();
        try {
            if (capability.isBlock()) {
                rawBlock.publish(record, target, wanted, made);
            } else {
                EnumSet<MountFlag> flags = EnumSet.noneOf(MountFlag.class);
                flags.addAll(mount.perMountFlags());
                bind(record, stagingPath, target, flags, made);
            }
        } catch (RuntimeException | IOException e) {
            undo(record, target, made, e);
            throw Requests.failure(e, "cannot publish volume " + record.id() + " at " + target);
        }
        LOG.info("published volume {} at {}{}", record.id(), target, readOnly ? " (read-only)" : "");
    }

    /**
     * Binds the staging mount onto the target, both reached without a link: the source is the
     * mount at the staging path's root, checked to show this volume, the target a free directory.
     */
    private void bind(VolumeRecord record, Path stagingPath, Path target, EnumSet<MountFlag> flags, Made made)
            throws IOException {
        PathHandle staged = MountPoints.mountRoot(stagingPath).orElseThrow(() -> new FailedPrecondition(
                "volume " + record.id() + " is not mounted at its staging path " + stagingPath));
        try (staged; PathHandle at = MountPoints.freeDirectory(target, made)) {
            MountInfo mount = staged.mount().orElseThrow();
            if (!side.kernel().shows(mount, record)) {
                throw new FailedPrecondition("the mount at " + stagingPath + " is not volume " + record.id() + "'s");
            }
            MountPoints.mountOn(at, made, m -> side.kernel().shows(m, record), () -> Mount.bind(staged, at, flags));
        }
    }

    /**
     * The volume's state, once it is known to be staged at {@code stagingPath} for this kind of
     * access, with no other live writer when single-writer; a staging the kernel lost is made again.
     */
    private NodeState stagedAs(VolumeRecord record, Path stagingPath, VolumeCapability capability, Path target) {
        NodeState state = side.states().get(record.id().uuid());
        if (state == null || state.staging().isEmpty() || !state.staging().get().equals(stagingPath)) {
            throw new FailedPrecondition("volume " + record.id() + " is not staged at " + stagingPath + "; stage it first");
        }
        if (state.block() != capability.isBlock()) {
            throw new FailedPrecondition("volume " + record.id() + " is staged for "
                    + (state.block() ? "raw block" : "filesystem") + " access");
        }
        if (capability.mode() == AccessMode.SINGLE_NODE_SINGLE_WRITER) {
            for (NodeState.Publication other : state.publications()) {
                if (!other.target().equals(target) && side.kernel().publicationProblem(record, other).isEmpty()) {
                    throw new FailedPrecondition("volume " + record.id() + " is single-writer and already published at "
                            + other.target());
                }
            }
        }
        Optional<String> stale = side.kernel().stagingProblem(record, state);
        if (stale.isEmpty()) {
            return state;
        }
        // After a restart the staging may be gone; it is remade as it was asked for.
        LOG.info("volume {}: restaging before publishing: {}", record.id(), stale.get());
        VolumeCapability staged = new VolumeCapability(state.block() ? new VolumeCapability.Block()
                : new VolumeCapability.Mount(record.fsType(), state.mountFlags()), AccessMode.valueOf(state.mode()));
        staging.stageLocked(record, stagingPath, staged, state.ephemeralId());
        return side.states().get(record.id().uuid());
    }

    /**
     * For a target already recorded: empty when the publication stands as asked (nothing to do);
     * else, after one the kernel lost (a reboot) was taken down, the state to publish it again in.
     * A sound publication that differs from the request is a conflict.
     */
    private Optional<NodeState> keptOrRepaired(VolumeRecord record, NodeState.Publication existing,
                                               NodeState.Publication wanted) {
        Optional<String> problem = side.kernel().publicationProblem(record, existing);
        if (problem.isEmpty() && sameUse(existing, wanted)) {
            return Optional.empty();
        }
        if (problem.isEmpty()) {
            throw new UseConflict("volume " + record.id() + " is already published at " + existing.target()
                    + " with " + describe(existing) + ", not " + describe(wanted));
        }
        LOG.info("volume {}: repairing its publication at {}: {}", record.id(), existing.target(), problem.get());
        side.targets().release(record, existing, true);
        return Optional.of(side.states().get(record.id().uuid()).without(existing.target()));
    }

    /**
     * Takes back what this failed call made, and only that: its own mount, the target if it made
     * it, a read-only device it attached. The record stays when that fails, for a retry or an
     * unpublish.
     */
    private void undo(VolumeRecord record, Path target, Made made, Exception failure) {
        try {
            MountPoints.unmountOwn(target, made);
            if (made.madePath()) {
                Targets.remove(target);
            }
            side.states().get(record.id().uuid()).publication(target)
                    .ifPresent(p -> side.targets().freeDevice(record, p));
            side.states().save(side.states().get(record.id().uuid()).without(target));
        } catch (RuntimeException undo) {
            failure.addSuppressed(undo);
        }
    }

    void unpublish(LocalVolumeId id, Path target) {
        try (KeyLocks.Held ignored = side.requests().lock(id)) {
            unpublishLocked(id, target);
        }
    }

    /** Unpublishes the volume; the caller holds its lock. */
    void unpublishLocked(LocalVolumeId id, Path target) {
        NodeState state = side.states().get(id.uuid());
        Optional<NodeState.Publication> publication = state == null ? Optional.empty() : state.publication(target);
        if (publication.isEmpty()) {
            // Never published there (or already unpublished): the spec lets the SP delete only what
            // it created, so whatever is at the target is left alone, mounted or not.
            return;
        }
        Optional<VolumeRecord> record = side.provisioner().record(id.uuid());
        if (record.isPresent()) {
            side.targets().release(record.get(), publication.get(), true);
        } else {
            Targets.remove(target);
        }
        side.states().save(state.without(target));
        LOG.info("unpublished volume {} from {}", id, target);
    }

    private static boolean sameUse(NodeState.Publication a, NodeState.Publication b) {
        return a.readOnly() == b.readOnly() && a.block() == b.block() && a.mode().equals(b.mode())
                && a.mountFlags().equals(b.mountFlags());
    }

    private static String describe(NodeState.Publication p) {
        return (p.block() ? "block" : "filesystem") + " access, " + p.mode() + (p.readOnly() ? ", read-only" : "")
                + (p.mountFlags().isEmpty() ? "" : ", flags " + p.mountFlags());
    }
}
