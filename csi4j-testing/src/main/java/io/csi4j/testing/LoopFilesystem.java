package io.csi4j.testing;

import io.csi4j.linux.LoopAttachment;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.LoopOptions;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.SyscallException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real filesystem for a test (needs root): a sparse image file on a loop device, made with
 * its mkfs command and mounted under a directory of the test's. {@link #close()} unmounts,
 * detaches and deletes the image, also after a failed test, and checks nothing is left behind.
 */
public final class LoopFilesystem implements AutoCloseable {

    private final Path image;
    private final Path mountPoint;
    private final String type;

    private LoopFilesystem(Path image, Path mountPoint, String type) {
        this.image = image;
        this.mountPoint = mountPoint;
        this.type = type;
    }

    /**
     * Makes and mounts a filesystem of {@code type} (ext4, xfs, btrfs) and {@code bytes} under
     * {@code dir}.
     *
     * @param mkfsOptions  extra mkfs arguments, e.g. {@code -O quota,project} for ext4
     * @param mountOptions mount data, e.g. {@code prjquota}, or ""
     */
    public static LoopFilesystem create(Path dir, String type, long bytes, List<String> mkfsOptions,
                                        String mountOptions) throws IOException, InterruptedException {
        Path image = dir.resolve(type + ".img");
        Path mountPoint = Files.createDirectories(dir.resolve(type));
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(bytes);
        }
        LoopFilesystem fs = new LoopFilesystem(image, mountPoint, type);
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults())) {
            List<String> mkfs = new ArrayList<>(List.of("mkfs." + type));
            mkfs.addAll(switch (type) {
                case "ext4" -> List.of("-q", "-F");
                case "xfs", "btrfs" -> List.of("-q", "-f");
                default -> List.of();
            });
            mkfs.addAll(mkfsOptions);
            mkfs.add(loop.device().path().toString());
            run(mkfs); // a fixture: the thing under test is what runs on the filesystem
            Mount.mount(loop.device().path().toString(), mountPoint, type, Set.of(), mountOptions);
        } catch (IOException | InterruptedException | RuntimeException e) {
            fs.close();
            throw e;
        }
        return fs;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    public String type() {
        return type;
    }

    /** Unmounts (detaching whatever is still mounted below), detaches the loop device, removes the image. */
    @Override
    public void close() throws IOException {
        for (var mount : MountTable.read().under(mountPoint).reversed()) {
            Mount.unmount(mount.mountPoint(), true);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<LoopDevice> left = LoopDevice.find(image);
        while (!left.isEmpty()) {
            for (LoopDevice device : left) {
                try {
                    device.detach();
                } catch (SyscallException e) {
                    // ENXIO: autoclear already let it go
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("loop devices still attached to " + image + ": " + left);
            }
            sleep();
            left = LoopDevice.find(image);
        }
        Files.deleteIfExists(image);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
