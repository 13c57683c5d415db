package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.store.AtomicFiles;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.VolumeType;

import io.csi4j.spi.CapacityExhausted;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of local volumes: sparse image files and directories under {@code volumes/}, made,
 * grown and removed here; a directory's capacity is enforced by the {@link CapacityEnforcer}.
 */
public final class VolumeData {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeData.class);
    private static final Pattern OURS = Pattern.compile("[0-9a-f]{32}(\\.img)?");

    private final LocalLayout layout;
    private final CapacityEnforcer enforcer;

    VolumeData(LocalLayout layout, CapacityEnforcer enforcer) {
        this.layout = layout;
        this.enforcer = enforcer;
    }

    /**
     * Makes the volume's image (sparse: no block is written) or directory (limited to its
     * capacity when the record says it is enforced).
     *
     * @return the record, with the ID of whatever enforces its capacity
     */
    VolumeRecord create(VolumeRecord record) {
        VolumeRecord made = record;
        try {
            switch (record.type()) {
                case IMAGE -> {
                    Path image = layout.image(record.id());
                    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                        file.setLength(record.capacityBytes());
                        file.getFD().sync();
                    }
                }
                case DIRECTORY -> {
                    Path dir = layout.directory(record.id());
                    if (record.capacityEnforced()) {
                        made = record.withQuotaId(enforcer.create(dir, record.capacityBytes(), (int) record.quotaId()));
                    } else {
                        Files.createDirectory(dir);
                    }
                    // Pods run as any user; access is governed by the mount and fsGroup, as for hostPath.
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
                }
            }
            AtomicFiles.syncDirectory(layout.volumes());
            return made;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("No space left")) {
                throw new CapacityExhausted("no space left in the data directory for volume " + record.name());
            }
            throw new UncheckedIOException("cannot create the data of volume " + record.id(), e);
        }
    }

    /** Grows an image file, or raises an enforced directory's limit, to {@code bytes}. */
    void grow(VolumeRecord record, long bytes) {
        try {
            switch (record.type()) {
                case IMAGE -> {
                    try (RandomAccessFile file = new RandomAccessFile(layout.image(record.id()).toFile(), "rw")) {
                        file.setLength(bytes);
                        file.getFD().sync();
                    }
                }
                case DIRECTORY -> {
                    if (record.capacityEnforced()) {
                        enforcer.resize(layout.directory(record.id()), bytes, record.quotaId());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot grow volume " + record.id(), e);
        }
    }

    /** Removes the volume's data; not an error when it is gone. Never leaves the volume's filesystem. */
    void remove(VolumeRecord record) {
        try {
            Files.deleteIfExists(layout.image(record.id()));
            Path dir = layout.directory(record.id());
            if (record.capacityEnforced() && record.type() == VolumeType.DIRECTORY) {
                enforcer.remove(dir, record.quotaId());
            } else if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(dir);
            }
            AtomicFiles.syncDirectory(layout.volumes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the data of volume " + record.id(), e);
        }
    }

    /** Why the volume's data is not as its record says, if it is not. */
    public static Optional<String> problem(LocalLayout layout, VolumeRecord record) {
        return switch (record.type()) {
            case IMAGE -> Files.isRegularFile(layout.image(record.id()), LinkOption.NOFOLLOW_LINKS)
                    ? Optional.empty() : Optional.of("the volume's image file is missing");
            case DIRECTORY -> Files.isDirectory(layout.directory(record.id()), LinkOption.NOFOLLOW_LINKS)
                    ? Optional.empty() : Optional.of("the volume's directory is missing");
        };
    }

    /** Removes volume data that no record claims (left by a crash before its record was written). */
    void removeOrphans(Set<String> knownUuids) throws IOException {
        if (knownUuids.isEmpty()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.volumes())) {
                if (entries.iterator().hasNext()) {
                    // Volumes but not one record: the records are missing (hidden by a mount, restored
                    // from an old backup...), not the volumes orphaned. Their data is kept.
                    LOG.error("{} holds volume data but {} holds no record; leaving the data alone",
                            layout.volumes(), layout.records());
                    return;
                }
            }
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.volumes())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!OURS.matcher(name).matches()) {
                    continue; // not ours: leave it
                }
                String uuid = name.substring(0, 32);
                if (!knownUuids.contains(uuid)) {
                    LOG.info("removing orphaned volume data {}", entry);
                    if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                        enforcer.remove(entry, 0); // a btrfs subvolume goes as a whole
                    } else {
                        Files.deleteIfExists(entry);
                    }
                }
            }
        }
    }

    /**
     * Deletes a tree without following symbolic links and without descending into other
     * filesystems mounted inside it (their content is not this volume's).
     */
    public static void deleteTree(Path root) throws IOException {
        Object device = Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                    throw new IOException(dir + " is a mount point inside a volume; unmount it first");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
