package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mounts, binds and unmounts through {@link PathHandle}s, as root on tmpfs. */
class HandleMountIT {

    @TempDir
    Path dir;

    Path fs, source;

    @BeforeEach
    void mountTmpfs() throws Exception {
        fs = Files.createDirectory(dir.resolve("fs"));
        Mount.mount("tmpfs", fs, "tmpfs", Set.of(), "size=16m");
        // Binds of a private mount stay here: nothing this test does shows up in other namespaces.
        Mount.setPropagation(fs, MountFlag.PRIVATE, false);
        source = Files.createDirectory(fs.resolve("source"));
        Files.writeString(source.resolve("marker"), "the source");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir);
    }

    @Test
    void aFilesystemIsMountedOntoTheHandle() throws Exception {
        Path target = Files.createDirectory(fs.resolve("target"));
        try (PathHandle h = PathHandle.open(target)) {
            Mount.mount("tmpfs", h, "tmpfs", Set.of(MountFlag.NOEXEC), "size=1m");
            MountInfo m = MountTable.read().find(target).orElseThrow();
            assertThat(m.fsType()).isEqualTo("tmpfs");
            assertThat(m.hasOption("noexec")).isTrue();
            try (PathHandle root = PathHandle.open(target)) {
                assertThat(root.isMountRoot()).isTrue();
                assertThat(root.mountId()).isEqualTo(m.mountId());
                Mount.unmount(root);
            }
        }
        assertThat(MountTable.read().isMountPoint(target)).isFalse();
    }

    @Test
    void aReadOnlyBindThroughTheHandleRefusesWritesAndNeverAppearsWritable() throws Exception {
        Path target = Files.createDirectory(fs.resolve("target"));
        // Another thread reads the mount table all along: a bind made writable and then remounted
        // read-only (the old mount(2) way) would be seen writable in between.
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger sightings = new AtomicInteger(), writable = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    var seen = MountTable.read().find(target);
                    if (seen.isPresent()) {
                        sightings.incrementAndGet();
                        if (!seen.get().readOnly() || !seen.get().hasOption("nosuid")) {
                            writable.incrementAndGet();
                        }
                    }
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        try {
            for (int i = 0; i < 5000 && (i < 200 || sightings.get() < 10); i++) {
                try (PathHandle from = PathHandle.open(source); PathHandle to = PathHandle.open(target)) {
                    Mount.bind(from, to, EnumSet.of(MountFlag.RDONLY, MountFlag.NOSUID));
                    try (PathHandle root = PathHandle.open(target)) {
                        Mount.unmount(root);
                    }
                }
            }
        } finally {
            done.set(true);
            watcher.join();
        }
        assertThat(failed.get()).isNull();
        assertThat(sightings.get()).as("the watcher saw the binds").isPositive();
        assertThat(writable.get()).as("sightings of a writable or suid view").isZero();

        try (PathHandle from = PathHandle.open(source); PathHandle to = PathHandle.open(target)) {
            Mount.bind(from, to, EnumSet.of(MountFlag.RDONLY, MountFlag.NODEV, MountFlag.NOATIME));
        }
        MountInfo m = MountTable.read().find(target).orElseThrow();
        assertThat(m.readOnly()).isTrue();
        assertThat(m.hasOption("nodev")).isTrue();
        assertThat(m.hasOption("noatime")).isTrue();
        assertThat(m.root()).isEqualTo("/source");
        assertThat(target.resolve("marker")).hasContent("the source");
        assertThatThrownBy(() -> Files.writeString(target.resolve("x"), "no"))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("Read-only file system");
        assertThat(MountTable.read().find(source)).isEmpty(); // the source itself stays as it was
        Files.writeString(source.resolve("still-writable"), "yes");
    }

    @Test
    void aBindFromAPathAndARecursiveBindCarryTheMountsBelow() throws Exception {
        Path inner = Files.createDirectory(source.resolve("inner"));
        Mount.mount("tmpfs", inner, "tmpfs", Set.of(), "size=1m");
        Files.writeString(inner.resolve("deep"), "below");
        Path plain = Files.createDirectory(fs.resolve("plain")), rec = Files.createDirectory(fs.resolve("rec"));
        try (PathHandle a = PathHandle.open(plain); PathHandle b = PathHandle.open(rec)) {
            Mount.bind(source, a, Set.of());
            Mount.bind(source, b, EnumSet.of(MountFlag.REC, MountFlag.RDONLY));
        }
        assertThat(plain.resolve("inner/deep")).doesNotExist();
        assertThat(rec.resolve("inner/deep")).hasContent("below");
        MountTable table = MountTable.read();
        assertThat(table.find(rec.resolve("inner")).orElseThrow().readOnly()).isTrue();
        assertThat(table.find(plain).orElseThrow().readOnly()).isFalse();
    }

    @Test
    void unmountingThroughTheHandleTakesExactlyThatMount() throws Exception {
        Path target = Files.createDirectory(fs.resolve("target"));
        Path other = Files.createDirectory(fs.resolve("other"));
        Mount.mount("tmpfs", target, "tmpfs", Set.of(), "size=1m");
        Files.writeString(target.resolve("lower"), "lower");
        Mount.bind(source, target, false); // stacked on the tmpfs
        Mount.bind(source, other, false);
        try (PathHandle top = PathHandle.open(target); PathHandle plain = PathHandle.open(source);
             PathHandle parent = PathHandle.open(fs)) {
            assertThat(top.isMountRoot()).isTrue();
            // The handle holds its mount: only a detach takes it while the handle is open.
            assertThatThrownBy(() -> Mount.unmountChild(parent, "target", false)).isInstanceOfSatisfying(
                    SyscallException.class, e -> assertThat(e.errno()).isEqualTo(SyscallException.EBUSY));
            assertThatThrownBy(() -> Mount.unmount(plain)).isInstanceOfSatisfying(SyscallException.class,
                    e -> assertThat(e.errno()).isEqualTo(SyscallException.EINVAL));
            MountInfo upper = MountTable.read().find(target).orElseThrow();
            assertThat(top.mountId()).isEqualTo(upper.mountId());
            Mount.unmount(top);
        }
        MountTable table = MountTable.read();
        assertThat(table.find(target).orElseThrow().fsType()).isEqualTo("tmpfs"); // the lower one stays
        assertThat(target.resolve("lower")).hasContent("lower");
        assertThat(table.isMountPoint(other)).isTrue(); // so does the other bind of the same source
        try (PathHandle lower = PathHandle.open(target)) {
            Mount.unmount(lower);
        }
        assertThat(MountTable.read().isMountPoint(target)).isFalse();
    }

    @Test
    void unmountingAChildNeverFollowsALink() throws Exception {
        Path target = Files.createDirectory(fs.resolve("target"));
        Mount.bind(source, target, false);
        Path link = Files.createSymbolicLink(fs.resolve("link"), target);
        try (PathHandle parent = PathHandle.open(fs)) {
            assertThat(Mount.unmountChild(parent, "link", true)).isFalse();
            assertThat(MountTable.read().isMountPoint(target)).as("the link's destination is left mounted").isTrue();
            assertThat(Mount.unmountChild(parent, "absent", true)).isFalse();
            assertThat(Mount.unmountChild(parent, "target", true)).isTrue();
            assertThat(Mount.unmountChild(parent, "target", true)).isFalse();
        }
        assertThat(MountTable.read().isMountPoint(target)).isFalse();
        assertThat(link).isSymbolicLink();
    }

    @Test
    void aMountIsMovedOntoTheHandleFromUnderAPrivateParent() throws Exception {
        Path scratch = Files.createDirectory(fs.resolve("scratch"));
        Path target = Files.createDirectory(fs.resolve("target"));
        Mount.mount("tmpfs", scratch, "tmpfs", Set.of(), "size=1m");
        Files.writeString(scratch.resolve("made-here"), "x");
        try (PathHandle h = PathHandle.open(target)) {
            Mount.move(scratch, h);
        }
        assertThat(MountTable.read().isMountPoint(scratch)).isFalse();
        assertThat(target.resolve("made-here")).hasContent("x");
    }

    /**
     * Another thread keeps swapping the target between an empty directory and a symlink to a decoy
     * while this one opens the handle and binds: the bind lands on the directory that was checked
     * (wherever it was moved meanwhile), never in the decoy.
     */
    @Test
    void aTargetSwappedForASymlinkBetweenCheckAndBindNeverRedirectsTheMount() throws Exception {
        Path decoy = Files.createDirectory(fs.resolve("decoy"));
        Files.writeString(decoy.resolve("decoy-only"), "decoy");
        Path target = fs.resolve("target"), aside = fs.resolve("aside");
        Files.createDirectory(target);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread swapper = Thread.ofPlatform().start(() -> {
            try {
                while (!done.get()) {
                    if (!rename(target, aside)) {
                        continue; // a mount point cannot be renamed (EBUSY): try again
                    }
                    Files.createSymbolicLink(target, decoy);
                    Thread.onSpinWait();
                    Files.delete(target);
                    while (!rename(aside, target) && !done.get()) {
                        Thread.onSpinWait();
                    }
                    for (int k = 0; k < 5000; k++) {
                        Thread.onSpinWait(); // leave the directory in place a little: more opens succeed
                    }
                }
            } catch (Throwable e) {
                failed.set(e);
            }
        });
        int bound = 0, refused = 0, moved = 0;
        try {
            // A few seconds, or a few hundred binds: bounded both ways.
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (bound < 400 && (System.nanoTime() < deadline || ((bound == 0 || refused == 0)
                    && System.nanoTime() < deadline + 10_000_000_000L))) {
                PathHandle h;
                try {
                    h = PathHandle.open(target);
                } catch (SyscallException e) {
                    assertThat(e.errno()).isIn(SyscallException.ELOOP, SyscallException.ENOENT);
                    refused++;
                    continue;
                }
                try (h; PathHandle from = PathHandle.open(source); PathHandle parent = PathHandle.open(fs)) {
                    assertThat(h.kind()).isEqualTo(PathHandle.Kind.DIRECTORY);
                    Mount.bind(from, h, EnumSet.of(MountFlag.RDONLY));
                    assertThat(MountTable.read().isMountPoint(decoy)).as("the decoy got the mount").isFalse();
                    try (var listed = Files.list(decoy)) {
                        assertThat(listed.map(p -> p.getFileName().toString())).containsExactly("decoy-only");
                    }
                    // The bind sits on the checked directory, under whichever name it had then.
                    MountInfo bind = bindOver(h);
                    assertThat(bind.mountPoint()).isIn(target, aside);
                    moved += bind.mountPoint().equals(target) ? 0 : 1;
                    assertThat(Mount.unmountChild(parent, bind.mountPoint().getFileName().toString(), false)).isTrue();
                    bound++;
                }
            }
        } finally {
            done.set(true);
            swapper.join();
        }
        assertThat(failed.get()).isNull();
        assertThat(bound).as("binds made").isPositive();
        assertThat(refused).as("opens that met the symlink or the gap").isPositive();
        assertThat(MountTable.read().under(fs)).as("every bind removed").singleElement()
                .satisfies(m -> assertThat(m.mountPoint()).isEqualTo(fs));
        System.out.printf("race: %d binds, %d refused opens, %d binds on the renamed directory%n", bound, refused, moved);
    }

    private static boolean rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileSystemException busy) {
            return false;
        }
    }

    /** The bind sitting on the handle's directory: a mount of the source whose parent is the handle's mount. */
    private static MountInfo bindOver(PathHandle h) throws IOException {
        long parent = h.mountId();
        for (MountInfo m : MountTable.read().mounts()) {
            if (m.parentId() == parent && m.root().equals("/source")) {
                return m;
            }
        }
        throw new AssertionError("no bind found over " + h);
    }
}
