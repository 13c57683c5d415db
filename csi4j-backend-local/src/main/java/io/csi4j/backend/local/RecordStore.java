package io.csi4j.backend.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume records on disk: one file per volume under {@code records/}, replaced atomically.
 * Read in full only once, at start; every later change touches one file.
 */
final class RecordStore {

    private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);
    private static final String SUFFIX = ".volume";

    private final Path dir;

    RecordStore(Path dir) {
        this.dir = dir;
    }

    void save(VolumeRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            record.toProperties().store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(file(record.id()), out.toByteArray());
    }

    void remove(LocalVolumeId id) {
        AtomicFiles.delete(file(id));
    }

    /** Every record on disk; removes temporary leftovers and skips (and logs) unreadable files. */
    List<VolumeRecord> loadAll() throws IOException {
        List<VolumeRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.contains(AtomicFiles.TEMP_MARK)) {
                    Files.deleteIfExists(file); // an interrupted write: the old record (if any) stands
                } else if (name.endsWith(SUFFIX)) {
                    try (InputStream in = Files.newInputStream(file)) {
                        Properties properties = new Properties();
                        properties.load(in);
                        records.add(VolumeRecord.fromProperties(properties));
                    } catch (IOException | RuntimeException e) {
                        LOG.error("ignoring unreadable volume record {}: {}", file, e.getMessage());
                    }
                }
            }
        }
        return records;
    }

    /** The UUIDs named by record files on disk, readable or not: their volumes' data is not orphaned. */
    Set<String> uuids() throws IOException {
        Set<String> uuids = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.matches("[0-9a-f]{32}\\" + SUFFIX)) {
                    uuids.add(name.substring(0, 32));
                }
            }
        }
        return uuids;
    }

    private Path file(LocalVolumeId id) {
        return dir.resolve(id.uuid() + SUFFIX);
    }
}
