package io.csi4j.driver;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A hostile CO's race, on a thread of its own: {@code path} is swapped again and again between a
 * directory and a symbolic link to {@code decoy} (the directory moved aside to
 * {@code path.aside} meanwhile), so that a driver that checks the path and then uses it by name
 * would act on the decoy. A directory that is a mount point cannot be renamed (EBUSY): the swapper
 * then waits. Closing stops it and rethrows what went wrong on its thread.
 */
final class PathSwapper implements AutoCloseable {

    private final Path path, aside, decoy;
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicInteger swaps = new AtomicInteger();
    private final AtomicReference<Throwable> failed = new AtomicReference<>();
    private final Thread thread;

    PathSwapper(Path path, Path decoy) {
        this.path = path;
        this.aside = path.resolveSibling(path.getFileName() + ".aside");
        this.decoy = decoy;
        this.thread = Thread.ofPlatform().name("path-swapper").start(this::run);
    }

    Path aside() {
        return aside;
    }

    int swaps() {
        return swaps.get();
    }

    private void run() {
        try {
            while (!done.get()) {
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                    mkdir(path); // removed by an unpublish: make it anew
                }
                if (!rename(path, aside)) {
                    Thread.onSpinWait();
                    continue;
                }
                try {
                    Files.createSymbolicLink(path, decoy);
                    for (int i = 0; i < 100; i++) {
                        Thread.onSpinWait();
                    }
                    Files.delete(path);
                } catch (FileAlreadyExistsException made) {
                    // the driver made a directory there meanwhile: leave it, the aside one comes back below
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        deleteIfEmpty(path);
                    }
                }
                while (!rename(aside, path) && !done.get()) {
                    Thread.onSpinWait(); // the aside directory got a mount: it stays until that is gone
                }
                swaps.incrementAndGet();
                for (int i = 0; i < 2000; i++) {
                    Thread.onSpinWait(); // the directory stays in place a little, so some calls get through
                }
            }
        } catch (Throwable e) {
            failed.set(e);
        }
    }

    private static boolean rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileSystemException busyOrGone) {
            return false;
        }
    }

    private static void mkdir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // made meanwhile
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Files.delete(dir);
        } catch (IOException e) {
            // not empty, or a mount point: left alone
        }
    }

    @Override
    public void close() throws Exception {
        done.set(true);
        thread.join();
        if (failed.get() != null) {
            throw new AssertionError("the swapper failed", failed.get());
        }
    }
}
