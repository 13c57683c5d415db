package io.csi4j.backend.nfs.controller;

import io.csi4j.backend.nfs.libnfs.NfsException;
import io.csi4j.backend.nfs.libnfs.NfsExport;
import io.csi4j.backend.nfs.mount.NfsMounter;
import io.csi4j.backend.nfs.share.LocalShareFiles;
import io.csi4j.backend.nfs.share.NfsShareFiles;
import io.csi4j.backend.nfs.share.ShareFiles;
import io.csi4j.backend.nfs.volume.ControllerAccess;
import io.csi4j.backend.nfs.volume.Location;
import io.csi4j.linux.MountTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shares this controller works on, each with its one way in: one libnfs connection per export
 * (reconnected when lost), or, for exports libnfs cannot reach (no NFSv3), one kernel mount under
 * the controller's mount directory, kept until the controller stops. ListVolumes pages through the
 * shares it made volumes on; they are remembered beside the mount directory ({@code nfs-shares}, one
 * volume ID per share, which names the share), so a restarted controller still lists them.
 */
final class Shares implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Shares.class);

    private final Duration timeout;
    private final Optional<Path> mountRoot;
    private final NfsMounter mounter;
    private final Map<Location, ShareFiles> known = new LinkedHashMap<>();
    private final Set<Location> used = new LinkedHashSet<>();
    private final Optional<Path> remembered;

    /**
     * @param mountRoot where exports are mounted for {@link ControllerAccess#MOUNT}; empty: never mount
     */
    Shares(Duration timeout, Duration mountDeadline, Optional<Path> mountRoot) {
        this.timeout = timeout;
        this.mountRoot = mountRoot;
        this.mounter = new NfsMounter(mountDeadline);
        this.remembered = mountRoot.map(root -> root.resolveSibling("nfs-shares"));
        mountRoot.ifPresent(Shares::detachLeftovers);
        remembered.filter(Files::isRegularFile).ifPresent(file -> {
            try {
                for (String line : Files.readAllLines(file)) {
                    io.csi4j.backend.nfs.volume.NfsVolumeId.parse(line.strip()).ifPresent(id -> used.add(id.location()));
                }
            } catch (IOException e) {
                LOG.warn("cannot read the shares made volumes on ({}): {}; ListVolumes starts empty", file, e.toString());
            }
        });
    }

    /** The way into {@code location}; for an export, libnfs or a mount as {@code access} says. */
    synchronized ShareFiles files(Location location, ControllerAccess access) {
        ShareFiles files = known.get(location);
        if (files != null) {
            return files;
        }
        files = switch (location) {
            case Location.Shared shared -> new LocalShareFiles(shared.root());
            case Location.Nfs nfs -> switch (access) {
                case LIBNFS -> new NfsShareFiles(nfs.export(), timeout);
                case MOUNT -> mounted(nfs.export());
                case AUTO -> libnfsOrMount(nfs.export());
            };
        };
        known.put(location, files);
        return files;
    }

    /** libnfs when it reaches the export; a mount when it cannot (unless it timed out: a mount would too). */
    private ShareFiles libnfsOrMount(NfsExport export) {
        NfsShareFiles nfs = new NfsShareFiles(export, timeout);
        try {
            nfs.lstat("");
            return nfs;
        } catch (IOException e) {
            nfs.close();
            if (e instanceof NfsException n && n.errno() == NfsException.ETIMEDOUT || mountRoot.isEmpty()) {
                return new NfsShareFiles(export, timeout); // its next call reports the failure
            }
            try {
                ShareFiles files = mounted(export);
                LOG.info("{}: libnfs cannot reach it ({}); working on a mount of it instead", export, e.getMessage());
                return files;
            } catch (RuntimeException mountFailed) {
                LOG.info("{}: neither libnfs ({}) nor a mount ({}) reaches it", export, e.getMessage(), mountFailed.getMessage());
                return new NfsShareFiles(export, timeout);
            }
        }
    }

    private ShareFiles mounted(NfsExport export) {
        Path root = mountRoot.orElseThrow(() -> new io.csi4j.spi.FailedPrecondition(
                "this controller has no directory to mount exports in; controllerAccess 'mount' is not available"));
        Path at = root.resolve(digest(export.toString() + "#" + export.nfsPort()));
        try {
            Files.createDirectories(at);
            if (!MountTable.read().isMountPoint(at)) {
                List<String> options = new ArrayList<>(List.of("nfsvers=4"));
                if (export.nfsPort() > 0) {
                    options.add("port=" + export.nfsPort());
                }
                mounter.mount(export.server() + ":" + export.path(), at, options, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalShareFiles(at, export + " (mounted)");
    }

    /**
     * Records that a volume was made on {@code location} (its ID {@code volumeId} names the share):
     * ListVolumes looks there from now on, also after a restart.
     */
    synchronized void used(Location location, String volumeId) {
        if (!used.add(location) || remembered.isEmpty()) {
            return;
        }
        Path file = remembered.get();
        try {
            Files.createDirectories(file.getParent());
            List<String> lines = new ArrayList<>(Files.isRegularFile(file) ? Files.readAllLines(file) : List.of());
            lines.add(volumeId);
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, lines);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot remember share {} ({}): a restarted controller will not list its volumes", location, e.toString());
        }
    }

    /** The shares volumes were made on, in the order first used. */
    /** Exports (not shared paths) worked on since start: how many answered their last call, how many did not. */
    synchronized long[] exportReachability() {
        long[] counts = new long[2];
        known.forEach((location, files) -> {
            if (location instanceof Location.Nfs) {
                counts[files.reachable() ? 0 : 1]++;
            }
        });
        return counts;
    }

    synchronized List<Location> locations() {
        return new ArrayList<>(used);
    }

    @Override
    public synchronized void close() {
        for (ShareFiles files : known.values()) {
            if (files instanceof NfsShareFiles nfs) {
                nfs.close();
            }
        }
        known.clear();
        mountRoot.ifPresent(Shares::detachLeftovers);
    }

    /** Detaches the mounts under {@code root}: left by a controller that stopped without cleaning up. */
    private static void detachLeftovers(Path root) {
        try {
            for (var mount : MountTable.read().under(root).reversed()) {
                if (!mount.mountPoint().equals(root)) {
                    NfsMounter.detach(mount.mountPoint());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
