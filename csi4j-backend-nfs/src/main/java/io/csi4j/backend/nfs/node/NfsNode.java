package io.csi4j.backend.nfs.node;

import io.csi4j.backend.nfs.volume.Location;
import io.csi4j.backend.nfs.mount.NfsMounter;
import io.csi4j.backend.nfs.volume.NfsVolumeId;
import io.csi4j.backend.nfs.volume.SharedRoots;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountFlag;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountOptions;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.OperationPending;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.UseConflict;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NFS and shared-path volumes on this node. Stage mounts the volume's directory once at the
 * staging path (kernel NFS, or a bind of the shared path); publish bind-mounts the staging path to
 * each target, read-only where asked. A stale staging mount (ESTALE: the server restarted without
 * the handle) is detached and mounted again by the next stage or publish.
 */
public final class NfsNode implements NodeVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(NfsNode.class);

    private final NfsMounter mounter;
    private final Duration healthDeadline;
    private final SharedRoots sharedRoots;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /**
     * @param mountDeadline  how long an NFS mount may take before it is abandoned (UNAVAILABLE)
     * @param healthDeadline how long a statfs of a mounted volume may take before the server counts as not responding
     * @param sharedRoots    where shared-path volumes may be bound from
     */
    public NfsNode(Duration mountDeadline, Duration healthDeadline, SharedRoots sharedRoots) {
        this.mounter = new NfsMounter(mountDeadline);
        this.healthDeadline = healthDeadline;
        this.sharedRoots = sharedRoots;
    }

    @Override
    public void stage(StageRequest request) {
        NfsVolumeId id = id(request.volumeId());
        List<String> flags = mountFlags(request.capability());
        try (Busy ignored = busy(request.volumeId())) {
            createDirectory(request.stagingPath());
            Optional<MountInfo> there = mounted(request.stagingPath());
            if (there.isPresent()) {
                if (!isStagedHere(id, there.get(), request.stagingPath())) {
                    throw new UseConflict("another filesystem (" + there.get().source() + ") is mounted at "
                            + request.stagingPath());
                }
                if (healthy(request.stagingPath())) {
                    return;
                }
                LOG.info("volume {}: the staging mount at {} went stale; mounting it again", id, request.stagingPath());
                NfsMounter.detach(request.stagingPath());
            }
            mountSource(id, request.stagingPath(), flags);
        }
    }

    private void mountSource(NfsVolumeId id, Path staging, List<String> flags) {
        switch (id.location()) {
            case Location.Nfs nfs -> mounter.mount(id.mountSource(), staging, flags, false);
            case Location.Shared shared -> {
                Path source = Path.of(id.mountSource());
                if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw new VolumeNotFound("volume " + id + ": " + source + " is not a directory on this node "
                            + "(is the shared filesystem mounted at " + shared.root() + "?)");
                }
                bind(source, staging, perMount(flags, false));
            }
        }
    }

    /** Whether the mount at the staging path is this volume's (and not something else mounted there). */
    private static boolean isStagedHere(NfsVolumeId id, MountInfo mount, Path staging) {
        return switch (id.location()) {
            case Location.Nfs nfs -> mount.fsType().startsWith("nfs") && mount.source().equals(id.mountSource());
            case Location.Shared shared -> sameFile(Path.of(id.mountSource()), staging);
        };
    }

    @Override
    public void unstage(String volumeId, Path stagingPath) {
        id(volumeId);
        try (Busy ignored = busy(volumeId)) {
            // Detached, not unmounted: an unmount of a hard NFS mount whose server is gone would block.
            NfsMounter.detach(stagingPath);
        }
    }

    @Override
    public void publish(PublishRequest request) {
        NfsVolumeId id = id(request.volumeId());
        List<String> flags = mountFlags(request.capability());
        Path staging = request.stagingPath().orElseThrow(() -> new FailedPrecondition(
                "volume " + id + " must be staged before it is published"));
        boolean readOnly = request.readOnly() || request.capability().mode().readOnly();
        try (Busy ignored = busy(request.volumeId())) {
            Optional<MountInfo> staged = mounted(staging);
            if (staged.isEmpty() || !isStagedHere(id, staged.get(), staging)) {
                throw new FailedPrecondition("volume " + id + " is not staged at " + staging);
            }
            if (!healthy(staging)) {
                LOG.info("volume {}: the staging mount at {} went stale; mounting it again", id, staging);
                NfsMounter.detach(staging);
                mountSource(id, staging, flags);
                staged = mounted(staging);
            }
            createDirectory(request.targetPath());
            Optional<MountInfo> there = mounted(request.targetPath());
            if (there.isPresent()) {
                if (bindOf(there.get(), staged.orElseThrow())) {
                    if (there.get().readOnly() != readOnly) {
                        throw new UseConflict("volume " + id + " is already published at " + request.targetPath()
                                + (readOnly ? " read-write" : " read-only"));
                    }
                    if (healthy(request.targetPath())) {
                        return;
                    }
                    NfsMounter.detach(request.targetPath()); // a bind of the old, stale mount
                } else {
                    throw new UseConflict("something else (" + there.get().source() + ") is mounted at " + request.targetPath());
                }
            }
            bind(staging, request.targetPath(), perMount(flags, readOnly));
        }
    }

    /** Whether {@code target} is a bind of the same directory as {@code staged}. */
    private static boolean bindOf(MountInfo target, MountInfo staged) {
        return target.major() == staged.major() && target.minor() == staged.minor() && target.root().equals(staged.root());
    }

    @Override
    public void unpublish(String volumeId, Path targetPath) {
        id(volumeId);
        try (Busy ignored = busy(volumeId)) {
            NfsMounter.detach(targetPath);
            try {
                Files.deleteIfExists(targetPath);
            } catch (DirectoryNotEmptyException e) {
                LOG.warn("volume {}: target {} is not empty after unmounting; left in place", volumeId, targetPath);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public VolumeUsage usage(String volumeId, Path volumePath) {
        NfsVolumeId id = id(volumeId);
        if (mounted(volumePath).isEmpty()) {
            throw new VolumeNotFound("volume " + id + " is not mounted at " + volumePath);
        }
        return switch (Health.of(volumePath, healthDeadline)) {
            case Health.Healthy h -> new VolumeUsage(
                    Optional.of(new VolumeUsage.Counts(h.stats().totalBytes(), h.stats().availableBytes(), h.stats().usedBytes())),
                    h.stats().totalInodes() > 0
                            ? Optional.of(new VolumeUsage.Counts(h.stats().totalInodes(), h.stats().freeInodes(), h.stats().usedInodes()))
                            : Optional.empty(),
                    false, "mounted; sizes are the whole share's (a subdirectory's size is not enforced)");
            case Health.Stale s -> new VolumeUsage(Optional.empty(), Optional.empty(), true,
                    "stale NFS file handle: the server lost track of the volume's directory (restarted, or the "
                            + "directory was removed); the next stage or publish mounts it again");
            case Health.NotResponding n -> new VolumeUsage(Optional.empty(), Optional.empty(), true,
                    "the file server does not answer within " + healthDeadline.toSeconds() + " s");
            case Health.Failed f -> new VolumeUsage(Optional.empty(), Optional.empty(), true,
                    "the volume cannot be examined: " + f.error().getMessage());
        };
    }

    @Override
    public long maxVolumes() {
        return 0;
    }

    private boolean healthy(Path path) {
        return switch (Health.of(path, healthDeadline)) {
            case Health.Healthy h -> true;
            case Health.Stale s -> false;
            case Health.NotResponding n -> throw new BackendUnavailable("the file server of the volume at " + path
                    + " does not answer; retry later");
            case Health.Failed f -> throw new UncheckedIOException(f.error());
        };
    }

    private NfsVolumeId id(String volumeId) {
        NfsVolumeId id = NfsVolumeId.parse(volumeId).orElseThrow(() -> new VolumeNotFound(
                "volume " + volumeId + " does not exist: not an ID of an NFS or shared-path volume"));
        sharedRoots.check(id.location());
        return id;
    }

    private static List<String> mountFlags(VolumeCapability capability) {
        if (!(capability.access() instanceof VolumeCapability.Mount mount)) {
            throw new InvalidParameter("volumes of this driver are directories: block access is not offered");
        }
        if (!mount.fsType().isEmpty() && !mount.fsType().startsWith("nfs")) {
            throw new InvalidParameter("fs_type '" + mount.fsType() + "' does not fit a directory on a shared filesystem");
        }
        return mount.mountFlags();
    }

    /** The per-mount flags a bind carries: read-only, nosuid, ... from the CO's flags. */
    private static Set<MountFlag> perMount(List<String> flags, boolean readOnly) {
        MountOptions options;
        try {
            options = MountOptions.parse(flags);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter(e.getMessage());
        }
        EnumSet<MountFlag> kept = EnumSet.noneOf(MountFlag.class);
        kept.addAll(options.withReadOnly(readOnly).perMountFlags());
        return kept;
    }

    private static void bind(Path source, Path target, Set<MountFlag> flags) {
        try {
            Mount.bind(source, target, flags);
        } catch (SyscallException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<MountInfo> mounted(Path path) {
        try {
            return MountTable.read().find(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private static void createDirectory(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface Busy extends AutoCloseable {
        @Override
        void close();
    }

    private Busy busy(String volumeId) {
        if (!busy.add(volumeId)) {
            throw new OperationPending("an operation on volume " + volumeId + " is already in progress; retry later");
        }
        return () -> busy.remove(volumeId);
    }
}
