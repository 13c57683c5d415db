package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

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

    /**
     * Runs {@code mount} and {@code unmount} in turns (a few seconds, at most 400 rounds) while a
     * swapper swaps {@code path} for a symlink to a mounted decoy made in {@code work}; each call
     * may be refused with one of the codes given, none may touch the decoy (mount over it, unmount
     * it, empty it), and a mount that landed on the directory while it was moved aside is taken
     * down after each round behind the driver's back. Calls must get through and be refused both.
     */
    static void race(Path path, Path work, Runnable mount, Runnable unmount, Set<Status.Code> mountRefusals,
                     Set<Status.Code> unmountRefusals, Supplier<String> driverLog) throws Exception {
        Path parent = path.getParent();
        Path decoy = Files.createDirectory(work.resolve("mounted-decoy"));
        Mount.mount("tmpfs", decoy, "tmpfs", Set.of(), "size=1m");
        Files.writeString(decoy.resolve("keep"), "decoy");
        int mounted = 0, refused = 0, unmounted = 0, swaps;
        try {
            try (PathSwapper swapper = new PathSwapper(path, decoy)) {
                long start = System.nanoTime();
                for (int i = 0; i < 400; i++) {
                    long elapsed = System.nanoTime() - start;
                    if (elapsed > 20_000_000_000L || (elapsed > 3_000_000_000L && mounted > 0 && refused > 0)) {
                        break;
                    }
                    try {
                        mount.run();
                        mounted++;
                    } catch (StatusRuntimeException e) {
                        assertThat(e.getStatus().getCode()).as(() -> e.getStatus().getDescription() + driverLog.get())
                                .isIn(mountRefusals);
                        refused++;
                    }
                    assertDecoyIntact(decoy);
                    try {
                        unmount.run();
                        unmounted++;
                    } catch (StatusRuntimeException e) {
                        assertThat(e.getStatus().getCode()).as(() -> e.getStatus().getDescription() + driverLog.get())
                                .isIn(unmountRefusals);
                    }
                    assertDecoyIntact(decoy);
                    for (MountInfo m : NodeCalls.mountsUnder(parent).reversed()) {
                        Mount.unmount(m.mountPoint(), true);
                    }
                }
                swaps = swapper.swaps();
            }
            System.out.printf("race on %s: %d mounted, %d refused, %d unmounted, %d swaps%n", path.getFileName(), mounted,
                    refused, unmounted, swaps);
            assertThat(mounted).as("calls that got through").isPositive();
            assertThat(refused).as("calls that met the symlink").isPositive();
            assertThat(NodeCalls.mountsUnder(parent)).isEmpty();
        } finally {
            Mount.unmountIfMounted(decoy, true);
        }
    }

    private static void assertDecoyIntact(Path decoy) throws IOException {
        assertThat(NodeCalls.mountsUnder(decoy)).as("the decoy's own mount, and nothing on it").singleElement()
                .satisfies(m -> assertThat(m.fsType()).isEqualTo("tmpfs"));
        assertThat(decoy.resolve("keep")).hasContent("decoy");
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
