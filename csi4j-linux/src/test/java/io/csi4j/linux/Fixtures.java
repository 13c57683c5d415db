package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test fixtures: sparse images, mkfs through its command, and tearing down what a test left. */
final class Fixtures {

    private Fixtures() {}

    static Path sparseImage(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return file;
    }

    /**
     * Makes a filesystem on a sparse image {@code dir/name.img} with {@code mkfs}, mounts it at
     * {@code dir/name} through an autoclear loop device (unmounting detaches it) and returns the
     * mount point; {@link #tearDown} with the image undoes it.
     */
    static Path mountedImage(Path dir, String name, long bytes, String fsType, String... mkfs) throws Exception {
        return mountedImage(dir, name, bytes, fsType, java.util.Set.of(), mkfs);
    }

    static Path mountedImage(Path dir, String name, long bytes, String fsType, java.util.Set<MountFlag> flags,
                             String... mkfs) throws Exception {
        Path image = sparseImage(dir.resolve(name + ".img"), bytes);
        List<String> argv = new ArrayList<>(List.of(mkfs));
        argv.add(image.toString());
        run(argv.toArray(String[]::new));
        Path mnt = java.nio.file.Files.createDirectories(dir.resolve(name));
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true))) {
            Mount.mount(loop.device().path().toString(), mnt, fsType, flags, null);
        }
        return mnt;
    }

    /** Writes {@code bytes} of data and forces them out, as an application filling a volume would. */
    static void write(Path file, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long written = 0; written < bytes; written += chunk.capacity()) {
                chunk.clear();
                while (chunk.hasRemaining()) {
                    ch.write(chunk);
                }
            }
            ch.force(true);
        }
    }

    /** Runs a command that must succeed (mkfs.*, dd, setpriv: fixtures, never the thing under test). */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(p.exitValue()).as("%s exit code, output: %s", List.of(command), out).isZero();
        return out;
    }

    /** Runs a command and returns its exit code and output, whatever they are. */
    static Result runAllowingFailure(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    record Result(int exitCode, String output) {}

    /**
     * Unmounts everything below {@code dir} (deepest first) and detaches every loop device backed
     * by one of {@code images}, then checks that nothing is left. Collects failures so that one
     * stuck mount does not leave the rest behind.
     */
    static void tearDown(Path dir, Path... images) throws Exception {
        List<Exception> failures = new ArrayList<>();
        List<MountInfo> mounts = new ArrayList<>(MountTable.read().under(dir));
        for (MountInfo m : mounts.reversed()) {
            try {
                Mount.unmount(m.mountPoint(), true);
            } catch (SyscallException e) {
                failures.add(e);
            }
        }
        for (Path image : images) {
            if (!image.toFile().exists()) {
                continue;
            }
            for (LoopDevice device : LoopDevice.find(image)) {
                try {
                    device.detach();
                } catch (SyscallException e) {
                    if (e.errno() != SyscallException.ENXIO) {
                        failures.add(e);
                    }
                }
            }
        }
        assertThat(MountTable.read().under(dir)).as("mounts left under %s", dir).isEmpty();
        for (Path image : images) {
            if (image.toFile().exists()) {
                awaitDetached(image);
            }
        }
        if (!failures.isEmpty()) {
            Exception first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** Detaching is asynchronous once the last user lets go; give the kernel a moment. */
    static void awaitDetached(Path image) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LoopDevice.find(image).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(LoopDevice.find(image)).as("loop devices still attached to %s", image).isEmpty();
    }
}
