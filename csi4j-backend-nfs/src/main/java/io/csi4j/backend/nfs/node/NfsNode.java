package io.csi4j.backend.nfs.node;

import io.csi4j.backend.nfs.volume.Location;
import io.csi4j.backend.nfs.mount.NfsMounter;
import io.csi4j.backend.nfs.volume.NfsVolumeId;
import io.csi4j.backend.nfs.volume.SharedRoots;
import io.csi4j.linux.FileStat;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountFlag;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountOptions;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.NodeVolumes;
import io.csi4j.spi.PublishRequest;
import io.csi4j.spi.StageRequest;
import io.csi4j.spi.UseConflict;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumeNotFound;
import io.csi4j.spi.VolumeUsage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NFS and shared-path volumes on this node. Stage mounts the volume's directory once at the
 * staging path (kernel NFS, or a bind of the shared path); publish bind-mounts the staging path to
 * each target, read-only where asked. A stale staging mount (ESTALE: the server restarted without
 * the handle) is detached and mounted again by the next stage or publish.
 *
 * <p>Staging and target paths are the CO's and are taken as kubelet makes them ({@link MountPoints}):
 * opened without following links, checked, and mounted on through the handle.
 */
public final class NfsNode implements NodeVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(NfsNode.class);

    private static final String STAGING = "staging path", TARGET = "target path";

    private final NfsMounter mounter;
    private final Path scratchDir;
    private final Duration healthDeadline;
    private final SharedRoots sharedRoots;
    private final Claims claims = new Claims();

    /**
     * @param mountDeadline  how long an NFS mount may take before it is abandoned (UNAVAILABLE)
     * @param healthDeadline how long a statfs of a mounted volume may take before the server counts as not responding
     * @param sharedRoots    where shared-path volumes may be bound from
     * @param scratchDir     a directory of the driver's own where mount.nfs mounts before the mount is
     *                       put onto the checked staging path (made when first needed)
     */
    public NfsNode(Duration mountDeadline, Duration healthDeadline, SharedRoots sharedRoots, Path scratchDir) {
        this.mounter = new NfsMounter(mountDeadline);
        this.scratchDir = scratchDir;
        this.healthDeadline = healthDeadline;
        this.sharedRoots = sharedRoots;
    }

    @Override
    public void stage(StageRequest request) {
        NfsVolumeId id = id(request.volumeId());
        List<String> flags = mountFlags(request.capability());
        try (Claims.Claim ignored = claims.claim(request.volumeId(), request.stagingPath())) {
            Handle staging = new Handle(MountPoints.open(request.stagingPath(), STAGING));
            try (staging) {
                Optional<MountInfo> there = MountPoints.check(staging.get(), STAGING);
                if (there.isPresent()) {
                    if (!isStagedHere(id, there.get(), staging.get())) {
                        throw MountPoints.foreign(staging.get(), there.get(), STAGING);
                    }
                    if (healthy(staging.get())) {
                        return;
                    }
                    LOG.info("volume {}: the staging mount at {} went stale; mounting it again", id, request.stagingPath());
                    staging.replace(detachAndReopen(staging.get(), request.stagingPath(), STAGING));
                }
                mountSource(id, staging.get(), flags);
                MountPoints.mountedOn(staging.get(), STAGING).close(); // landed where it was checked
            }
        }
    }

    /** Detaches the mount the handle sits at and opens the path again, which must then be free. */
    private static PathHandle detachAndReopen(PathHandle mounted, Path path, String what) {
        try {
            Mount.unmount(mounted);
        } catch (SyscallException e) {
            throw new UncheckedIOException(e);
        }
        PathHandle again = MountPoints.open(path, what);
        try {
            Optional<MountInfo> under = MountPoints.check(again, what);
            if (under.isPresent()) {
                throw MountPoints.foreign(again, under.get(), what);
            }
            return again;
        } catch (RuntimeException e) {
            again.close();
            throw e;
        }
    }

    private void mountSource(NfsVolumeId id, PathHandle staging, List<String> flags) {
        switch (id.location()) {
            case Location.Nfs nfs -> mounter.mount(id.mountSource(), staging, flags, false, scratch(id));
            case Location.Shared shared -> {
                try (PathHandle source = sharedSource(id, shared)) {
                    Mount.bind(source, staging, perMount(flags, false));
                } catch (SyscallException e) {
                    throw MountPoints.mountFailure(e, staging, STAGING);
                }
            }
        }
    }

    /** Where mount.nfs mounts a volume before the mount is cloned onto its staging path: named by the volume, not by the CO. */
    private Path scratch(NfsVolumeId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            return scratchDir.resolve(HexFormat.of().formatHex(digest, 0, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shared-path volume's directory, reached without a link (one inside the shared filesystem could point anywhere). */
    private static PathHandle sharedSource(NfsVolumeId id, Location.Shared shared) {
        Path source = Path.of(id.mountSource());
        PathHandle handle;
        try {
            handle = PathHandle.open(source);
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ELOOP) {
                throw new InvalidParameter("volume " + id + ": " + source + " is, or passes through, a symbolic link", e);
            }
            throw notADirectory(id, source, shared);
        }
        try {
            if (handle.kind() != PathHandle.Kind.DIRECTORY) {
                throw notADirectory(id, source, shared);
            }
            return handle;
        } catch (SyscallException | RuntimeException e) {
            handle.close();
            throw e instanceof SyscallException s ? new UncheckedIOException(s) : (RuntimeException) e;
        }
    }

    private static VolumeNotFound notADirectory(NfsVolumeId id, Path source, Location.Shared shared) {
        return new VolumeNotFound("volume " + id + ": " + source + " is not a directory on this node "
                + "(is the shared filesystem mounted at " + shared.root() + "?)");
    }

    /** Whether the mount at the staging handle is this volume's (and not something else mounted there). */
    private static boolean isStagedHere(NfsVolumeId id, MountInfo mount, PathHandle staging) {
        return switch (id.location()) {
            case Location.Nfs nfs -> mount.fsType().startsWith("nfs") && mount.source().equals(id.mountSource());
            case Location.Shared shared -> {
                try (PathHandle source = PathHandle.open(Path.of(id.mountSource()))) {
                    FileStat a = source.stat(), b = staging.stat();
                    yield a.device() == b.device() && a.inode() == b.inode();
                } catch (SyscallException e) {
                    yield false;
                }
            }
        };
    }

    /**
     * Which mounts are this volume's, told from the mount table alone (an unstage or unpublish must
     * not look into a mount whose server may be gone): for NFS a mount of its {@code server:/path},
     * for a shared path a bind of its directory (same device, and the directory as the mount's root;
     * a directory removed since shows as {@code //deleted}). A staging mount and the binds of it
     * onto targets all match.
     */
    private static Predicate<MountInfo> ours(NfsVolumeId id) {
        return switch (id.location()) {
            case Location.Nfs nfs -> m -> m.fsType().startsWith("nfs") && m.source().equals(id.mountSource());
            case Location.Shared shared -> {
                Optional<MountInfo> origin;
                Path source = Path.of(id.mountSource());
                try (PathHandle root = PathHandle.open(shared.root())) {
                    origin = root.mount();
                } catch (IOException e) {
                    origin = Optional.empty(); // the shared filesystem is not there: nothing can be its bind
                }
                if (origin.isEmpty() || !source.startsWith(origin.get().mountPoint())) {
                    yield m -> false;
                }
                MountInfo fs = origin.get();
                String root = Path.of(fs.root()).resolve(fs.mountPoint().relativize(source)).toString();
                yield m -> m.major() == fs.major() && m.minor() == fs.minor()
                        && (m.root().equals(root) || m.root().equals(root + "//deleted"));
            }
        };
    }

    @Override
    public void unstage(String volumeId, Path stagingPath) {
        NfsVolumeId id = id(volumeId);
        try (Claims.Claim ignored = claims.claim(volumeId, stagingPath)) {
            // Detached, not unmounted: an unmount of a hard NFS mount whose server is gone would block.
            MountPoints.release(stagingPath, STAGING, false, ours(id));
        }
    }

    @Override
    public void publish(PublishRequest request) {
        NfsVolumeId id = id(request.volumeId());
        List<String> flags = mountFlags(request.capability());
        Path stagingPath = request.stagingPath().orElseThrow(() -> new FailedPrecondition(
                "volume " + id + " must be staged before it is published"));
        boolean readOnly = request.readOnly() || request.capability().mode().readOnly();
        try (Claims.Claim ignored = claims.claim(request.volumeId(), request.targetPath())) {
            Handle staging = new Handle(MountPoints.existing(stagingPath, STAGING).orElseThrow(() ->
                    new FailedPrecondition("volume " + id + " is not staged at " + stagingPath)));
            try (staging) {
                Optional<MountInfo> staged = staging.get().isMountRoot() ? staging.get().mount() : Optional.empty();
                if (staged.isEmpty() || !isStagedHere(id, staged.get(), staging.get())) {
                    throw new FailedPrecondition("volume " + id + " is not staged at " + stagingPath);
                }
                if (!healthy(staging.get())) {
                    LOG.info("volume {}: the staging mount at {} went stale; mounting it again", id, stagingPath);
                    staging.replace(detachAndReopen(staging.get(), stagingPath, STAGING));
                    mountSource(id, staging.get(), flags);
                    // The new mount, reopened, must sit directly on the handle just mounted on and be the volume's.
                    staging.replace(MountPoints.mountedOn(staging.get(), STAGING));
                    staged = staging.get().mount();
                    if (staged.isEmpty() || !isStagedHere(id, staged.get(), staging.get())) {
                        throw new FailedPrecondition("volume " + id + ": the staging path " + stagingPath
                                + " changed while the volume was being mounted there again; not published");
                    }
                }
                publishOnto(id, staging.get(), staged.orElseThrow(), request.targetPath(), perMount(flags, readOnly), readOnly);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void publishOnto(NfsVolumeId id, PathHandle staging, MountInfo staged, Path targetPath, Set<MountFlag> bindFlags,
                             boolean readOnly) {
        Handle target = new Handle(MountPoints.open(targetPath, TARGET));
        try (target) {
            Optional<MountInfo> there = MountPoints.check(target.get(), TARGET);
            if (there.isPresent()) {
                if (!bindOf(there.get(), staged)) {
                    throw MountPoints.foreign(target.get(), there.get(), TARGET);
                }
                if (there.get().readOnly() != readOnly) {
                    throw new UseConflict("volume " + id + " is already published at " + targetPath
                            + (readOnly ? " read-write" : " read-only"));
                }
                if (healthy(target.get())) {
                    return;
                }
                target.replace(detachAndReopen(target.get(), targetPath, TARGET)); // a bind of the old, stale mount
            }
            try {
                Mount.bind(staging, target.get(), bindFlags);
            } catch (SyscallException e) {
                throw MountPoints.mountFailure(e, target.get(), TARGET);
            }
            MountPoints.mountedOn(target.get(), TARGET).close(); // landed where it was checked
        }
    }

    /** Whether {@code target} is a bind of the same directory as {@code staged}. */
    private static boolean bindOf(MountInfo target, MountInfo staged) {
        return target.major() == staged.major() && target.minor() == staged.minor() && target.root().equals(staged.root());
    }

    @Override
    public void unpublish(String volumeId, Path targetPath) {
        NfsVolumeId id = id(volumeId);
        try (Claims.Claim ignored = claims.claim(volumeId, targetPath)) {
            MountPoints.release(targetPath, TARGET, true, ours(id));
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

    /** Whether the mount at the handle answers; statfs goes through {@code /proc/self/fd/N}, so it sees exactly that mount. */
    private boolean healthy(PathHandle handle) {
        Path path = handle.path();
        return switch (Health.of(handle.procPath(), healthDeadline)) {
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

    private static Optional<MountInfo> mounted(Path path) {
        try {
            return MountTable.read().find(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A handle that a stale mount's repair replaces; closes the one it holds last. */
    private static final class Handle implements AutoCloseable {
        private PathHandle handle;

        Handle(PathHandle handle) {
            this.handle = handle;
        }

        PathHandle get() {
            return handle;
        }

        void replace(PathHandle next) {
            handle.close();
            handle = next;
        }

        @Override
        public void close() {
            handle.close();
        }
    }
}
