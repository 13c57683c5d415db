package io.csi4j.backend.local.node;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.spi.CapacityRange;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.VolumeUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Local volumes, node side: the CSI node calls, each handed to the class that owns it
 * ({@link Staging}, {@link Publications}, {@link EphemeralVolumes}, {@link VolumeHealth},
 * {@link NodeExpansion}). What was done is written down first ({@link NodeStates}) and the kernel
 * is asked what is ({@link Kernel}); a repeat that finds them apart repairs.
 */
public final class LocalNode implements NodeVolumes {

    private final LocalProvisioner provisioner;
    private final Requests requests;
    private final NodeStates states;
    private final Kernel kernel;
    private final Staging staging;
    private final Publications publications;
    private final EphemeralVolumes ephemeral;
    private final VolumeHealth health;
    private final NodeExpansion expansion;
    private final long maxVolumes;

    /**
     * @param ephemeralDefaultBytes the size of an ephemeral inline volume whose attributes name none
     * @param ephemeralMaxBytes     the largest ephemeral inline volume a pod may ask for
     * @param maxVolumes            the most volumes reported to the CO for this node, 0 for no limit
     */
    public LocalNode(LocalProvisioner provisioner, Kernel kernel, LocalLayout layout, long ephemeralDefaultBytes,
                     long ephemeralMaxBytes, long maxVolumes) {
        this.provisioner = provisioner;
        this.kernel = kernel;
        this.maxVolumes = maxVolumes;
        this.requests = new Requests(provisioner, layout.root());
        this.states = new NodeStates(layout.nodeStates());
        NodeSide side = new NodeSide(provisioner, layout, requests, states, kernel, new Targets(kernel));
        RawBlock rawBlock = new RawBlock(side);
        Filesystems filesystems = new Filesystems(side);
        this.staging = new Staging(side, filesystems, rawBlock);
        this.publications = new Publications(side, staging, rawBlock);
        this.ephemeral = new EphemeralVolumes(side, staging, publications, ephemeralDefaultBytes, ephemeralMaxBytes);
        this.health = new VolumeHealth(side, ephemeral);
        this.expansion = new NodeExpansion(side, filesystems);
    }

    /** Loads what this node had staged and published; the kernel is asked on the next call. */
    public void load() throws IOException {
        states.load();
        provisioner.reportUseWith(states::used);
    }

    /** Volumes staged on this node, from memory (for monitoring). */
    public long stagedCount() {
        return states.stagedCount();
    }

    /** Volumes published on this node, from memory (for monitoring). */
    public long publishedCount() {
        return states.publishedCount();
    }

    @Override
    public long maxVolumes() {
        return maxVolumes;
    }

    @Override
    public void stage(StageRequest request) {
        try (KeyLocks.Held ignored = requests.lock(request.stagingPath())) {
            staging.stage(request);
        }
    }

    @Override
    public void unstage(String volumeId, Path stagingPath) {
        try (KeyLocks.Held ignored = requests.lock(stagingPath)) {
            staging.unstage(volumeId, stagingPath);
        }
    }

    @Override
    public void publish(PublishRequest request) {
        try (KeyLocks.Held target = requests.lock(request.targetPath())) {
            if (request.ephemeral()) {
                ephemeral.publish(request);
            } else if (request.stagingPath().isPresent()) {
                // A staging lost to a reboot is made again here: the staging path is mounted on too.
                try (KeyLocks.Held staged = requests.lock(request.stagingPath().get())) {
                    publications.publish(request);
                }
            } else {
                publications.publish(request);
            }
        }
    }

    @Override
    public void unpublish(String volumeId, Path requestedTarget) {
        try (KeyLocks.Held ignored = requests.lock(requestedTarget)) {
            unpublishLocked(volumeId, requestedTarget);
        }
    }

    private void unpublishLocked(String volumeId, Path requestedTarget) {
        Path target = requests.callerPath(requestedTarget);
        Optional<LocalVolumeId> id = requests.oursIfAny(volumeId);
        if (id.isPresent()) {
            publications.unpublish(id.get(), target);
            return;
        }
        Optional<String> ephemeralUuid = ephemeral.uuid(volumeId);
        if (ephemeralUuid.isPresent()) {
            ephemeral.unpublish(volumeId, ephemeralUuid.get(), target);
        }
        // Else not a volume of this node: nothing there is ours to unmount or remove (the spec lets
        // the SP delete only what it created).
    }

    @Override
    public long expand(String volumeId, Path requestedPath, CapacityRange range) {
        return expansion.expand(volumeId, requestedPath, range);
    }

    @Override
    public VolumeUsage usage(String volumeId, Path requestedPath) {
        return health.usage(volumeId, requestedPath);
    }

    /** Where the volume's filesystem is mounted on this node (its staging), if it is and healthy. */
    public Optional<Path> mountedFilesystem(String uuid) {
        NodeState state = states.get(uuid);
        if (state == null || state.staging().isEmpty() || state.block()) {
            return Optional.empty();
        }
        return provisioner.record(uuid).filter(record -> kernel.stagingProblem(record, state).isEmpty())
                .flatMap(record -> state.staging());
    }
}
