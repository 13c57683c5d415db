package io.csi4j.backend.nfs.controller;

import io.csi4j.backend.nfs.libnfs.NfsSpace;
import io.csi4j.backend.nfs.share.Failures;
import io.csi4j.backend.nfs.share.ShareFiles;
import io.csi4j.backend.nfs.share.Trees;
import io.csi4j.backend.nfs.volume.ClassParameters;
import io.csi4j.backend.nfs.volume.ControllerAccess;
import io.csi4j.backend.nfs.volume.Location;
import io.csi4j.backend.nfs.volume.NfsVolumeId;
import io.csi4j.backend.nfs.volume.OnDelete;
import io.csi4j.backend.nfs.volume.SharedRoots;
import io.csi4j.backend.nfs.volume.SubDirTemplate;
import io.csi4j.spi.CapacityQuery;
import io.csi4j.spi.CapacityReport;
import io.csi4j.spi.InvalidPageToken;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.OperationPending;
import io.csi4j.spi.Volume;
import io.csi4j.spi.VolumeAlreadyExists;
import io.csi4j.spi.VolumeCapability;
import io.csi4j.spi.VolumePage;
import io.csi4j.spi.VolumeProvisioner;
import io.csi4j.spi.VolumeSource;
import io.csi4j.spi.VolumeSpec;
import io.csi4j.spi.VolumeStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes as subdirectories of shares. Idempotent by name: the subdirectory follows from the name
 * (or the class's template), and a claim on the share records which name owns it, so a repeat
 * returns the same ID and a template that gives two volumes one directory is refused. Capacity is
 * recorded and reported but not enforced: a subdirectory has no size of its own, and the volume
 * context says so ({@code capacityEnforced: "false"}).
 */
public final class NfsProvisioner implements VolumeProvisioner, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NfsProvisioner.class);
    private static final DateTimeFormatter ARCHIVE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int DEFAULT_PAGE = 500;
    private static final String TMP = ".csi4j/tmp";

    private final Shares shares;

    /** Exports reached / not reached at their last call, for monitoring. */
    public long[] exportReachability() {
        return shares.exportReachability();
    }
    private final Clock clock;
    private final SharedRoots sharedRoots;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /**
     * @param timeout       how long one libnfs call may wait for a server
     * @param mountDeadline how long a mount of an export (servers without NFSv3) may take
     * @param mountRoot     where such exports are mounted; empty: never mount
     */
    public NfsProvisioner(java.time.Duration timeout, java.time.Duration mountDeadline, Optional<java.nio.file.Path> mountRoot,
                          SharedRoots sharedRoots, Clock clock) {
        this.shares = new Shares(timeout, mountDeadline, mountRoot);
        this.sharedRoots = sharedRoots;
        this.clock = clock;
    }

    @Override
    public Volume create(VolumeSpec spec) {
        ClassParameters params = ClassParameters.parse(spec.parameters());
        sharedRoots.check(params.location());
        requireMount(spec.capabilities());
        String subDir = SubDirTemplate.expand(params.subDir(), spec.name(), spec.parameters());
        long bytes = spec.capacity().hasRequired() ? spec.capacity().requiredBytes() : spec.capacity().limitBytes();
        Claim wanted = new Claim(spec.name(), subDir, params.onDelete(), bytes);
        try (Lock ignored = lock(params.location(), subDir)) {
            ShareFiles files = shares.files(params.location(), params.access());
            String what = "creating " + subDir + " on " + files.describe();
            try {
                Trees.mkdirs(files, Claim.DIR, 0700);
                Claim claim = claim(files, wanted);
                Volume volume = volume(params.location(), claim);
                shares.used(params.location(), volume.id());
                fill(files, params, subDir, spec.source());
                files.chmod(subDir, params.mountPermissions());
                return volume;
            } catch (IOException e) {
                throw Failures.of(e, what);
            }
        }
    }

    /** Claims {@code subDir} for the name, or finds it already claimed by that same name. */
    private static Claim claim(ShareFiles files, Claim wanted) throws IOException {
        String path = Claim.path(wanted.subDir());
        if (files.symlink(wanted.encode(), path)) {
            return wanted;
        }
        Claim held = Claim.decode(files.readlink(path)).orElseThrow(() -> new VolumeAlreadyExists(
                "subDir " + wanted.subDir() + " on " + files.describe() + " has a claim this driver cannot read"));
        if (!held.name().equals(wanted.name())) {
            throw new VolumeAlreadyExists("subDir " + wanted.subDir() + " on " + files.describe() + " already holds volume '"
                    + held.name() + "'; the subDir template must give each volume a directory of its own");
        }
        if (held.onDelete() != wanted.onDelete()) {
            throw new VolumeAlreadyExists("volume '" + wanted.name() + "' exists with onDelete " + held.onDelete().text()
                    + ", not " + wanted.onDelete().text());
        }
        return held;
    }

    /** Makes the directory, empty or as a copy of the source volume's; a retry finds it made. */
    private void fill(ShareFiles files, ClassParameters params, String subDir, VolumeSource source) throws IOException {
        switch (source) {
            case VolumeSource.Empty e -> Trees.mkdirs(files, subDir, params.mountPermissions());
            case VolumeSource.FromSnapshot s -> throw new InvalidParameter("volumes of this driver cannot be made from snapshots");
            case VolumeSource.FromVolume v -> {
                if (files.lstat(subDir).isPresent()) {
                    return; // the copy finished before (it appears only by the final rename)
                }
                NfsVolumeId from = NfsVolumeId.parse(v.volumeId()).filter(id -> id.location().equals(params.location()))
                        .orElseThrow(() -> new InvalidParameter("the source volume must be a volume of this driver on the same share"));
                if (owner(files, from).isEmpty() || files.lstat(from.subDir()).isEmpty()) {
                    throw new io.csi4j.spi.VolumeNotFound("source volume " + v.volumeId() + " does not exist");
                }
                // Copied aside and renamed into place, so a crash never leaves a half copy where the volume belongs.
                String tmp = TMP + "/" + Claim.file(subDir);
                Trees.mkdirs(files, TMP, 0700);
                Trees.delete(files, tmp);
                Trees.copy(files, from.subDir(), tmp);
                int slash = subDir.lastIndexOf('/');
                if (slash > 0) {
                    Trees.mkdirs(files, subDir.substring(0, slash), params.mountPermissions());
                }
                files.rename(tmp, subDir);
            }
        }
    }

    @Override
    public void delete(String volumeId) {
        Optional<NfsVolumeId> parsed = NfsVolumeId.parse(volumeId);
        if (parsed.isEmpty()) {
            LOG.info("DeleteVolume of {}: not an ID of this driver, so nothing to delete", volumeId);
            return;
        }
        NfsVolumeId id = parsed.get();
        sharedRoots.check(id.location());
        try (Lock ignored = lock(id.location(), id.subDir())) {
            ShareFiles files = shares.files(id.location(), ControllerAccess.AUTO);
            try {
                if (owner(files, id).isEmpty()) {
                    return; // never made, already deleted, or the directory has since gone to another volume
                }
                switch (id.onDelete()) {
                    case DELETE -> Trees.delete(files, id.subDir());
                    case ARCHIVE -> archive(files, id.subDir());
                    case RETAIN -> { }
                }
                files.remove(Claim.path(id.subDir()), false);
            } catch (IOException e) {
                throw Failures.of(e, "deleting " + id.subDir() + " on " + files.describe());
            }
        }
    }

    private void archive(ShareFiles files, String subDir) throws IOException {
        if (files.lstat(subDir).isEmpty()) {
            return;
        }
        int slash = subDir.lastIndexOf('/');
        String parent = slash < 0 ? "" : subDir.substring(0, slash + 1);
        String base = parent + "archived-" + subDir.substring(slash + 1) + "-" + ARCHIVE_TIME.format(clock.instant());
        String target = base;
        for (int n = 2; files.lstat(target).isPresent(); n++) {
            target = base + "-" + n;
        }
        files.rename(subDir, target);
    }

    /** The claim on the ID's subdirectory, when it is this ID's volume's. */
    private static Optional<Claim> owner(ShareFiles files, NfsVolumeId id) throws IOException {
        String path = Claim.path(id.subDir());
        if (files.lstat(path).isEmpty()) {
            return Optional.empty();
        }
        return Claim.decode(files.readlink(path)).filter(c -> c.nameHash().equals(id.nameHash())
                && c.subDir().equals(id.subDir()) && c.onDelete() == id.onDelete());
    }

    @Override
    public Optional<VolumeStatus> get(String volumeId) {
        Optional<NfsVolumeId> parsed = NfsVolumeId.parse(volumeId);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        NfsVolumeId id = parsed.get();
        sharedRoots.check(id.location());
        ShareFiles files = shares.files(id.location(), ControllerAccess.AUTO);
        try {
            Optional<Claim> claim = owner(files, id);
            if (claim.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(status(files, id.location(), claim.get()));
        } catch (IOException e) {
            throw Failures.of(e, "looking up " + id.subDir() + " on " + files.describe());
        }
    }

    private static VolumeStatus status(ShareFiles files, Location location, Claim claim) throws IOException {
        boolean present = files.lstat(claim.subDir()).map(a -> a.directory()).orElse(false);
        return new VolumeStatus(volume(location, claim), List.of(), !present,
                present ? "" : "its directory " + claim.subDir() + " on " + files.describe() + " is missing");
    }

    @Override
    public VolumePage list(int maxEntries, String token) {
        int max = maxEntries > 0 ? maxEntries : DEFAULT_PAGE;
        List<Location> locations = shares.locations();
        int share = 0;
        String after = "";
        if (!token.isEmpty()) {
            String[] parts = token.split("/", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9]{1,6}") || !parts[1].matches("[0-9a-f]{64}")
                    || Integer.parseInt(parts[0]) >= locations.size()) {
                throw new InvalidPageToken("page token '" + token + "' was not issued by this controller");
            }
            share = Integer.parseInt(parts[0]);
            after = parts[1];
        }
        List<VolumeStatus> page = new ArrayList<>();
        for (; share < locations.size(); share++, after = "") {
            ShareFiles files = shares.files(locations.get(share), ControllerAccess.AUTO);
            try {
                if (files.lstat(Claim.DIR).isEmpty()) {
                    continue;
                }
                String from = after;
                List<String> names = files.list(Claim.DIR).stream().map(e -> e.name())
                        .filter(n -> n.matches("[0-9a-f]{64}") && n.compareTo(from) > 0).sorted().toList();
                for (String name : names) {
                    if (page.size() == max) {
                        return new VolumePage(page, share + "/" + lastFile(page));
                    }
                    Optional<Claim> claim = Claim.decode(files.readlink(Claim.DIR + "/" + name));
                    if (claim.isPresent()) {
                        page.add(status(files, locations.get(share), claim.get()));
                    }
                }
            } catch (IOException e) {
                throw Failures.of(e, "listing the volumes on " + files.describe());
            }
        }
        return new VolumePage(page, "");
    }

    private static String lastFile(List<VolumeStatus> page) {
        VolumeStatus last = page.getLast();
        return Claim.file(NfsVolumeId.parse(last.volume().id()).orElseThrow().subDir());
    }

    @Override
    public Optional<String> unsupported(String volumeId, List<VolumeCapability> wanted) {
        if (get(volumeId).isEmpty()) {
            throw new io.csi4j.spi.VolumeNotFound("volume " + volumeId + " does not exist");
        }
        return wanted.stream().anyMatch(VolumeCapability::isBlock)
                ? Optional.of("volumes of this driver are directories: mount access only, no block access")
                : Optional.empty();
    }

    @Override
    public CapacityReport capacity(CapacityQuery query) {
        Location location = sharedRoots.check(ClassParameters.location(query.parameters()));
        ShareFiles files = shares.files(location, ClassParameters.access(query.parameters()));
        try {
            NfsSpace space = files.space();
            return new CapacityReport(space.availableBytes(), 0, 0);
        } catch (IOException e) {
            throw Failures.of(e, "reading the free space of " + files.describe());
        }
    }

    private static void requireMount(List<VolumeCapability> capabilities) {
        if (capabilities.stream().anyMatch(VolumeCapability::isBlock)) {
            throw new InvalidParameter("volumes of this driver are directories: block access is not offered");
        }
    }

    static Volume volume(Location location, Claim claim) {
        NfsVolumeId id = NfsVolumeId.of(location, claim.subDir(), claim.onDelete(), claim.name());
        Map<String, String> context = new HashMap<>();
        switch (location) {
            case Location.Nfs nfs -> {
                context.put(ClassParameters.SERVER, nfs.export().server());
                context.put(ClassParameters.SHARE, nfs.export().path());
            }
            case Location.Shared shared -> context.put(ClassParameters.SHARED_PATH, shared.root().toString());
        }
        context.put(ClassParameters.SUB_DIR, claim.subDir());
        // A subdirectory has no size limit of its own: the size is recorded, not enforced.
        context.put("capacityEnforced", "false");
        return new Volume(id.toString(), claim.capacityBytes(), context, List.of());
    }

    private interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /** One call per subdirectory at a time; a second gets ABORTED at once and the CO retries. */
    private Lock lock(Location location, String subDir) {
        String key = location + "#" + subDir;
        if (!busy.add(key)) {
            throw new OperationPending("an operation on " + subDir + " is already in progress; retry later");
        }
        return () -> busy.remove(key);
    }

    @Override
    public void close() {
        shares.close();
    }
}
