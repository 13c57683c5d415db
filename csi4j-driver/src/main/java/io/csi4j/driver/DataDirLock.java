package io.csi4j.driver;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock a serving driver holds on {@code <data-dir>/.lock} for its whole life: two
 * drivers on one data directory would hand out the same loop devices, records and scratch mounts.
 * An fcntl lock of the open file, so it goes with the process (a killed driver leaves no lock
 * behind, only the empty file), and never waits: a second driver is refused at once.
 */
final class DataDirLock {

    static final String NAME = ".lock";

    /** Held until the process exits; a channel nobody references could be closed, and its lock with it. */
    private static FileLock held;

    private DataDirLock() {}

    /** Takes the lock of {@code dataDir} (which exists); IllegalArgumentException when another live driver holds it. */
    static synchronized void take(Path dataDir) throws IOException {
        Path file = dataDir.resolve(NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // this JVM holds it already
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalArgumentException("another driver is running on the data directory " + dataDir
                    + " (it holds " + file + "); stop it first or choose another --data-dir");
        }
        held = lock;
    }
}
