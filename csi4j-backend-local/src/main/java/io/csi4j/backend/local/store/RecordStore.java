package io.csi4j.backend.local.store;

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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records on disk, one small properties file per volume in one directory, named by the volume's
 * UUID and replaced atomically. Read in full only once, at start; every later change touches
 * one file.
 */
public final class RecordStore<T> {

    private static final Logger LOG = LoggerFactory.getLogger(RecordStore.class);

    private final Path dir;
    private final String suffix;
    private final Function<T, String> uuid;
    private final Function<T, Properties> write;
    private final Function<Properties, T> read;

    public RecordStore(Path dir, String suffix, Function<T, String> uuid, Function<T, Properties> write,
                Function<Properties, T> read) {
        this.dir = dir;
        this.suffix = suffix;
        this.uuid = uuid;
        this.write = write;
        this.read = read;
    }

    /** The volume records, in {@code dir} ({@code records/}). */
    public static RecordStore<VolumeRecord> volumes(Path dir) {
        return new RecordStore<>(dir, ".volume", r -> r.id().uuid(), VolumeRecord::toProperties,
                VolumeRecord::fromProperties);
    }

    public void save(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write.apply(record).store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(file(uuid.apply(record)), out.toByteArray());
    }

    public void remove(String uuid) {
        AtomicFiles.delete(file(uuid));
    }

    /** Every record on disk; removes temporary leftovers and skips (and logs) unreadable files. */
    public List<T> loadAll() throws IOException {
        List<T> records = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.contains(AtomicFiles.TEMP_MARK)) {
                    Files.deleteIfExists(file); // an interrupted write: the old record (if any) stands
                } else if (name.endsWith(suffix)) {
                    try (InputStream in = Files.newInputStream(file)) {
                        Properties properties = new Properties();
                        properties.load(in);
                        records.add(read.apply(properties));
                    } catch (IOException | RuntimeException e) {
                        LOG.error("ignoring unreadable record {}: {}", file, e.getMessage());
                    }
                }
            }
        }
        return records;
    }

    /** The UUIDs named by record files on disk, readable or not: their volumes' data is not orphaned. */
    public Set<String> uuids() throws IOException {
        Set<String> uuids = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.matches("[0-9a-f]{32}\\" + suffix)) {
                    uuids.add(name.substring(0, 32));
                }
            }
        }
        return uuids;
    }

    private Path file(String uuid) {
        return dir.resolve(uuid + suffix);
    }
}
