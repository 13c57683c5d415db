package io.csi4j.backend.local.node;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.MountOptions;
import io.csi4j.spi.BackendException;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the CO sends the node side, checked before anything is done: volume IDs of this node,
 * paths outside the data directory, capabilities the volume was made for.
 */
record Requests(LocalProvisioner provisioner, Path dataDir) {

    /** A volume ID of this node, else NOT_FOUND: IDs of other nodes' volumes cannot be served here. */
    LocalVolumeId ours(String volumeId) {
        LocalVolumeId id = LocalVolumeId.parse(volumeId)
                .orElseThrow(() -> new VolumeNotFound("volume " + volumeId + " does not exist"));
        if (!id.node().equals(provisioner.node())) {
            throw new VolumeNotFound("volume " + volumeId + " lives on node " + id.node() + ", not on this node ("
                    + provisioner.node() + ")");
        }
        return id;
    }

    /** The ID, when it is one of this node's volumes. */
    Optional<LocalVolumeId> oursIfAny(String volumeId) {
        return LocalVolumeId.parse(volumeId).filter(id -> id.node().equals(provisioner.node()));
    }

    VolumeRecord existing(LocalVolumeId id) {
        return provisioner.record(id.uuid()).orElseThrow(() -> new VolumeNotFound("volume " + id + " does not exist"));
    }

    KeyLocks.Held lock(LocalVolumeId id) {
        return provisioner.locks().acquire("id:" + id.uuid(), "volume " + id);
    }

    /**
     * One call per CO path at a time, whatever the volume: two mounts racing onto one path would
     * stack, and one's undo could reach the other's. A second call is ABORTED like one on a busy volume.
     */
    KeyLocks.Held lock(Path path) {
        Path normal = path.normalize();
        return provisioner.locks().acquire("path:" + normal, "path " + normal);
    }

    /**
     * A path from the CO, refused when its existing part holds a symbolic link (INVALID_ARGUMENT:
     * kubelet never sends one, and without links the path is as the kernel sees it, so it compares
     * with the mount table) or when it reaches into the data directory: a mount there could hide
     * the driver's records or volumes. The mount calls check again through handles
     * ({@link MountPoints}): this early check only gives the clear answer before anything is done.
     */
    Path callerPath(Path path) {
        MountPoints.withoutLinks(path);
        Path data = real(dataDir);
        if (path.startsWith(data) || data.startsWith(path)) {
            throw new InvalidParameter(path + " lies in or above the driver's data directory");
        }
        return path;
    }

    static Path real(Path path) {
        Path existing = path;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return path;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(path)).normalize();
        } catch (IOException e) {
            return path;
        }
    }

    /** Refuses a capability the volume was not made for (FAILED_PRECONDITION, as the spec says). */
    static void fits(VolumeRecord record, VolumeCapability capability) {
        if (capability.mode().multiNode()) {
            throw new FailedPrecondition("local volumes live on one node: access mode " + capability.mode()
                    + " is not supported");
        }
        if (capability.isBlock() != record.block()) {
            throw new FailedPrecondition("volume " + record.id() + " is a " + (record.block() ? "raw block" : "filesystem")
                    + " volume; it cannot be used as " + (capability.isBlock() ? "raw block" : "a filesystem"));
        }
        if (capability.access() instanceof VolumeCapability.Mount mount && !mount.fsType().isEmpty()
                && !mount.fsType().equals(record.fsType()) && record.type() == VolumeType.IMAGE) {
            throw new FailedPrecondition("volume " + record.id() + " has a " + record.fsType() + " filesystem, not "
                    + mount.fsType());
        }
    }

    /**
     * The mount flags, parsed: a malformed or refused one is INVALID_ARGUMENT, and is told before
     * the volume is looked up (NOT_FOUND) or matched against the request.
     */
    static MountOptions parsedFlags(VolumeCapability capability) {
        try {
            return MountOptions.parse(flags(capability));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter(e.getMessage());
        }
    }

    /** The flags as the volume takes them: only the generic ones for a directory (a bind mount). */
    static MountOptions mountOptions(VolumeRecord record, VolumeCapability capability) {
        MountOptions options = parsedFlags(capability);
        if (record.type() == VolumeType.DIRECTORY && !options.data().isEmpty()) {
            throw new InvalidParameter("directory volumes are bind mounts and take only generic mount flags "
                    + "(ro, nosuid, nodev, noexec, noatime, ...), not '" + options.data() + "'");
        }
        return options.withReadOnly(capability.mode().readOnly());
    }

    static List<String> flags(VolumeCapability capability) {
        return capability.access() instanceof VolumeCapability.Mount mount ? mount.mountFlags() : List.of();
    }

    /** A failure as it leaves the node side: outcomes as they are, system errors with context. */
    static RuntimeException failure(Exception e, String context) {
        if (e instanceof BackendException outcome) {
            return outcome;
        }
        if (e instanceof RuntimeException runtime && !(e instanceof UncheckedIOException)) {
            return runtime;
        }
        return new UncheckedIOException(context + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
    }
}
