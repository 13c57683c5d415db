package io.csi4j.backend.local.node;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.AccessMode;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.Quantity;
import io.csi4j.spi.Topology;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ephemeral inline volumes: made, staged under {@code ephemeral/} and published by the first
 * NodePublishVolume of a pod's volume, and deleted by its last unpublish. Such a volume is named
 * {@code ephemeral:<the CO's volume ID>}, so later calls find it by name.
 */
final class EphemeralVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(EphemeralVolumes.class);

    /** Names of ephemeral inline volumes: the CO's volume ID behind this prefix. */
    static final String PREFIX = "ephemeral:";
    // enforceCapacity too: the controller side's advice for a directory on a node without quotas
    // names it, and an inline volume has no StorageClass to put it in.
    private static final Set<String> ATTRIBUTES = Set.of("size", LocalParameters.TYPE, "fsType",
            LocalParameters.ENFORCE_CAPACITY);

    private final NodeSide side;
    private final Staging staging;
    private final Publications publications;
    private final long defaultBytes;
    private final long maxBytes;

    EphemeralVolumes(NodeSide side, Staging staging, Publications publications, long defaultBytes, long maxBytes) {
        this.side = side;
        this.staging = staging;
        this.publications = publications;
        this.defaultBytes = defaultBytes;
        this.maxBytes = maxBytes;
    }

    /** The name an ephemeral volume with the CO's ID {@code volumeId} has, if it can have one. */
    static Optional<String> name(String volumeId) {
        String name = PREFIX + volumeId;
        if (name.getBytes(StandardCharsets.UTF_8).length > LocalProvisioner.MAX_NAME_BYTES
                || volumeId.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** The UUID of the ephemeral volume with the CO's ID {@code volumeId}, if it exists. */
    Optional<String> uuid(String volumeId) {
        return name(volumeId).flatMap(side.provisioner()::uuidOfName);
    }

    void publish(PublishRequest given) {
        PublishRequest request = new PublishRequest(given.volumeId(), Optional.empty(),
                side.requests().callerPath(given.targetPath()), given.capability(), given.readOnly(), given.context());
        String name = name(request.volumeId())
                .orElseThrow(() -> new InvalidParameter("volume_id of an ephemeral volume must be printable and at most "
                        + (LocalProvisioner.MAX_NAME_BYTES - PREFIX.length()) + " bytes"));
        try (KeyLocks.Held ignored = lock(request.volumeId())) {
            LocalVolumeId id = LocalVolumeId.parse(side.provisioner().create(spec(name, request)).id()).orElseThrow();
            RuntimeException failed = stageAndPublish(id, request);
            if (failed != null) {
                // A pod that never got the volume keeps none: deleted once the volume's lock is free.
                try {
                    side.provisioner().delete(id.toString());
                } catch (RuntimeException undo) {
                    failed.addSuppressed(undo);
                }
                throw failed;
            }
        }
    }

    /** Stages and publishes the volume; the failure, when its first publication failed and was undone. */
    private RuntimeException stageAndPublish(LocalVolumeId id, PublishRequest request) {
        Path stagingPath = side.layout().ephemeral(id);
        makeParent(stagingPath);
        try (KeyLocks.Held alsoId = side.requests().lock(id)) {
            VolumeRecord record = side.requests().existing(id);
            VolumeCapability stagedAs = new VolumeCapability(request.capability().access(),
                    AccessMode.SINGLE_NODE_MULTI_WRITER);
            try {
                staging.stageLocked(record, stagingPath, stagedAs, request.volumeId());
                publications.publishLocked(record, stagingPath, new PublishRequest(id.toString(), Optional.of(stagingPath),
                        request.targetPath(), stagedAs, request.readOnly(), Map.of()));
                return null;
            } catch (RuntimeException e) {
                NodeState state = side.states().get(id.uuid());
                if (state != null && !state.publications().isEmpty()) {
                    throw e; // published elsewhere on this node: it stays
                }
                removeStaging(id, e);
                return e;
            }
        }
    }

    /** Undoes a failed first publication: its staging goes (the caller deletes the volume). */
    private void removeStaging(LocalVolumeId id, RuntimeException failure) {
        try {
            staging.unstageLocked(id, side.layout().ephemeral(id));
            NodeState state = side.states().get(id.uuid());
            if (state != null) {
                side.states().save(state.unstaged());
            }
            deleteEmptyDirectory(side.layout().ephemeral(id));
        } catch (RuntimeException undo) {
            failure.addSuppressed(undo);
        }
    }

    private VolumeSpec spec(String name, PublishRequest request) {
        Map<String, String> parameters = new HashMap<>();
        long size = defaultBytes;
        for (Map.Entry<String, String> attribute : request.context().entrySet()) {
            String key = attribute.getKey();
            if (key.startsWith("csi.storage.k8s.io/")) {
                continue; // pod facts the CO adds
            }
            if (!ATTRIBUTES.contains(key)) {
                throw new InvalidParameter("unknown ephemeral volume attribute '" + key + "'; use size, type, fsType or enforceCapacity");
            }
            switch (key) {
                case "size" -> size = Quantity.bytes(attribute.getValue())
                        .filter(bytes -> bytes > 0)
                        .orElseThrow(() -> new InvalidParameter("ephemeral volume attribute size '" + attribute.getValue()
                                + "' is not a size such as 512Mi or 1Gi"));
                case LocalParameters.TYPE, LocalParameters.ENFORCE_CAPACITY -> parameters.put(key, attribute.getValue());
                default -> { } // fsType goes into the capability
            }
        }
        if (size > maxBytes) {
            throw new InvalidParameter("ephemeral volume size " + size + " exceeds this node's maximum of "
                    + maxBytes + " bytes");
        }
        VolumeCapability capability = request.capability();
        String fsType = request.context().getOrDefault("fsType", "");
        if (capability.access() instanceof VolumeCapability.Mount m && m.fsType().isEmpty() && !fsType.isEmpty()) {
            capability = new VolumeCapability(new VolumeCapability.Mount(fsType, m.mountFlags()), capability.mode());
        }
        return new VolumeSpec(name, new CapacityRange(size, 0), List.of(capability), parameters, Topology.ANY,
                VolumeSource.EMPTY);
    }

    /** Unpublishes the ephemeral volume {@code uuid}; its last publication deletes it. */
    void unpublish(String volumeId, String uuid, Path target) {
        try (KeyLocks.Held ignored = lock(volumeId)) {
            LocalVolumeId id = side.provisioner().record(uuid).map(VolumeRecord::id).orElse(null);
            if (id == null) {
                return; // gone: whatever is at the target is not this driver's
            }
            try (KeyLocks.Held alsoId = side.requests().lock(id)) {
                publications.unpublishLocked(id, target);
                NodeState state = side.states().get(id.uuid());
                if (state != null && !state.publications().isEmpty()) {
                    return; // still in use elsewhere on this node
                }
                staging.unstageLocked(id, side.layout().ephemeral(id));
            }
            side.provisioner().delete(id.toString());
            deleteEmptyDirectory(side.layout().ephemeral(id));
            LOG.info("deleted ephemeral volume {} ({})", id, LocalProvisioner.printable(volumeId));
        }
    }

    private KeyLocks.Held lock(String volumeId) {
        return side.provisioner().locks().acquire("ephemeral:" + volumeId, "volume " + volumeId);
    }

    /** The driver's own directory for ephemeral stagings, made as needed (unlike the CO's paths). */
    private static void makeParent(Path stagingPath) {
        try {
            PathHandle.openOrMakeDirectories(stagingPath.getParent(), 0750).close();
        } catch (SyscallException e) {
            throw new UncheckedIOException("cannot make " + stagingPath.getParent(), e);
        }
    }

    private static void deleteEmptyDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }
}
