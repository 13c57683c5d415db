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
 * The record store as files: one small properties file per record in one directory, named by the
 * record's UUID and replaced atomically ({@link AtomicFiles}).
 */
final class FileRecordStore<T> implements RecordStore<T> {

    private static final Logger LOG = LoggerFactory.getLogger(FileRecordStore.class);

    private final Path dir;
    private final String suffix;
    private final Function<T, String> uuid;
    private final Function<T, Properties> write;
    private final Function<Properties, T> read;

    FileRecordStore(Path dir, String suffix, Function<T, String> uuid, Function<T, Properties> write,
                    Function<Properties, T> read) {
        this.dir = dir;
        this.suffix = suffix;
        this.uuid = uuid;
        this.write = write;
        this.read = read;
    }

    @Override
    public void save(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write.apply(record).store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicFiles.write(file(uuid.apply(record)), out.toByteArray());
    }

    @Override
    public void remove(String uuid) {
        AtomicFiles.delete(file(uuid));
    }

    @Override
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

    @Override
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
