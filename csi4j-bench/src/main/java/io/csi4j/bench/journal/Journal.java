package io.csi4j.bench.journal;

import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One run's journal: {@code <state dir>/<prefix>.journal}, a text file of one line per step.
 * Lines are appended with one {@code write} each and no fsync: they must survive the process
 * (Ctrl-C, {@code kill -9}), which the page cache guarantees, not the machine. The file is locked
 * while a run or a cleanup holds it, so a cleanup never races a live run; the lock dies with the
 * process. No secret is ever written.
 */
public final class Journal implements AutoCloseable {

    private static final String SUFFIX = ".journal";
    /** Prefixes become file names and the start of volume names: keep them plain. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9_.]{0,63}");

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private Journal(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Whether {@code prefix} can name a run; {@link IllegalArgumentException} saying why when not. */
    public static String checkPrefix(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must be 1 to 64 letters, digits, '-', '_' or '.',"
                    + " starting with a letter or digit");
        }
        return prefix;
    }

    /** The journal file of the run named {@code prefix}. */
    public static Path file(Path stateDir, String prefix) {
        return stateDir.resolve(checkPrefix(prefix) + SUFFIX);
    }

    /** The prefixes of the journals in {@code stateDir}, sorted; none when it does not exist. */
    public static List<String> prefixes(Path stateDir) throws IOException {
        List<String> prefixes = new ArrayList<>();
        if (!Files.isDirectory(stateDir)) {
            return prefixes;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(stateDir, "*" + SUFFIX)) {
            for (Path path : files) {
                String name = path.getFileName().toString();
                prefixes.add(name.substring(0, name.length() - SUFFIX.length()));
            }
        }
        prefixes.sort(null);
        return prefixes;
    }

    /**
     * Starts the journal of a new run. Refuses a prefix whose journal exists: that run's objects
     * have not all been removed yet ({@code bench cleanup}), and two runs must not share names.
     */
    public static Journal create(Path stateDir, String prefix, String endpoint, CreateVolumeRequest volumeTemplate,
                                 CreateSnapshotRequest snapshotTemplate) throws IOException {
        Files.createDirectories(stateDir);
        Path file = file(stateDir, prefix);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("a journal for prefix '" + prefix + "' exists (" + file + "): a run with"
                    + " that prefix is going on or left objects behind; run `csi4j bench cleanup --prefix " + prefix
                    + "` or choose another prefix");
        }
        Journal journal = new Journal(file, channel, channel.lock());
        journal.write("endpoint " + encode(endpoint)
                + "\nvolume-template " + Base64.getEncoder().encodeToString(volumeTemplate.toByteArray())
                + "\nsnapshot-template " + Base64.getEncoder().encodeToString(snapshotTemplate.toByteArray()) + "\n");
        return journal;
    }

    /** Opens an existing journal to clean up after its run; {@link IllegalStateException} while a run holds it. */
    public static Journal open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            throw new IllegalStateException(file + " is held by a running bench; stop it (Ctrl-C) first");
        }
        return new Journal(file, channel, lock);
    }

    /** Appends one step; {@code id} is the driver's ID of the object when known, else empty. */
    public void append(Step step, Made made, String id) {
        StringBuilder line = new StringBuilder(step.name().toLowerCase(Locale.ROOT)).append(' ').append(made.kind());
        for (String field : made.fields()) {
            line.append(' ').append(encode(field));
        }
        if (!id.isEmpty()) {
            line.append(' ').append(encode(id));
        }
        write(line.append('\n').toString());
    }

    /** What the journal says may still exist, in the order it was made. */
    public Leftovers leftovers() throws IOException {
        return read(file);
    }

    /** Reads a journal without taking it (a line cut short by a crash is ignored). */
    public static Leftovers read(Path file) throws IOException {
        String endpoint = "";
        CreateVolumeRequest volumeTemplate = CreateVolumeRequest.getDefaultInstance();
        CreateSnapshotRequest snapshotTemplate = CreateSnapshotRequest.getDefaultInstance();
        Map<Made, Pending> pending = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] words = line.split(" ");
            try {
                switch (words[0]) {
                    case "endpoint" -> endpoint = decode(words[1]);
                    case "volume-template" -> volumeTemplate = CreateVolumeRequest.parseFrom(Base64.getDecoder().decode(words[1]));
                    case "snapshot-template" ->
                            snapshotTemplate = CreateSnapshotRequest.parseFrom(Base64.getDecoder().decode(words[1]));
                    default -> step(words, pending);
                }
            } catch (IllegalArgumentException | IndexOutOfBoundsException | InvalidProtocolBufferException e) {
                // a line cut short: the step it began was not recorded, the one before it stands
            }
        }
        return new Leftovers(endpoint, volumeTemplate, snapshotTemplate, List.copyOf(pending.values()));
    }

    private static void step(String[] words, Map<Made, Pending> pending) {
        Step step = Step.valueOf(words[0].toUpperCase(Locale.ROOT));
        int arity = Made.arity(words[1]);
        String[] fields = new String[arity];
        for (int i = 0; i < arity; i++) {
            fields[i] = decode(words[2 + i]);
        }
        Made made = Made.of(words[1], fields);
        String id = words.length > 2 + arity ? decode(words[2 + arity]) : "";
        if (!step.mayExist()) {
            pending.remove(made);
        } else {
            Pending before = pending.remove(made);
            // a BEGIN after a DONE (a retried create) keeps the ID already known
            pending.put(made, new Pending(made, id.isEmpty() && before != null ? before.id() : id));
        }
    }

    public Path file() {
        return file;
    }

    /** Closes and removes the journal: everything it listed is gone. */
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            lock.release();
            channel.close();
        }
    }

    private synchronized void write(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file, e);
        }
    }

    private static String encode(String text) {
        return text.isEmpty() ? "%" : URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return "%".equals(text) ? "" : URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
