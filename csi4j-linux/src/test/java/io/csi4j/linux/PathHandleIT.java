package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.linux.PathHandle.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handles opened without following links, on a tmpfs of the test's own, as root. */
class PathHandleIT {

    @TempDir
    Path dir;

    Path fs;

    @BeforeEach
    void mountTmpfs() throws Exception {
        fs = Files.createDirectory(dir.resolve("fs"));
        Mount.mount("tmpfs", fs, "tmpfs", Set.of(), "size=16m");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir);
    }

    private static void assertErrno(ThrowingCall call, int errno) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SyscallException.class,
                e -> assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aSymlinkInTheLastComponentIsRefusedWithEloop() throws Exception {
        Path real = Files.createDirectory(fs.resolve("real"));
        Path link = Files.createSymbolicLink(fs.resolve("link"), real);

        assertErrno(() -> PathHandle.open(link).close(), SyscallException.ELOOP);
        assertErrno(() -> PathHandle.openOrMakeDirectory(link, 0750).close(), SyscallException.ELOOP);
        assertErrno(() -> PathHandle.openOrMakeFile(link, 0600).close(), SyscallException.ELOOP);
        // A dangling link is not made into a directory at its destination either.
        Path dangling = Files.createSymbolicLink(fs.resolve("dangling"), fs.resolve("made-through-link"));
        assertErrno(() -> PathHandle.openOrMakeDirectory(dangling, 0750).close(), SyscallException.ELOOP);
        assertErrno(() -> PathHandle.openOrMakeFile(dangling, 0600).close(), SyscallException.ELOOP);
        assertThat(fs.resolve("made-through-link")).doesNotExist();
        try (PathHandle parent = PathHandle.open(fs)) {
            assertErrno(() -> parent.child("link").close(), SyscallException.ELOOP);
            assertThat(parent.childKind("link")).contains(Kind.SYMBOLIC_LINK);
        }
    }

    @Test
    void aSymlinkInAMiddleComponentIsRefusedWithEloop() throws Exception {
        Path real = Files.createDirectories(fs.resolve("real/inner"));
        Files.createSymbolicLink(fs.resolve("link"), real.getParent());

        assertThat(PathHandle.open(real).kind()).isEqualTo(Kind.DIRECTORY);
        assertErrno(() -> PathHandle.open(fs.resolve("link/inner")).close(), SyscallException.ELOOP);
        assertErrno(() -> PathHandle.openOrMakeDirectory(fs.resolve("link/new"), 0750).close(), SyscallException.ELOOP);
        assertErrno(() -> PathHandle.openOrMakeDirectories(fs.resolve("link/a/b"), 0750).close(), SyscallException.ELOOP);
        assertThat(real.getParent().resolve("new")).doesNotExist();
        assertThat(real.getParent().resolve("a")).doesNotExist();
    }

    @Test
    void aMissingParentIsEnoentUnlessTheAncestorsAreMadeToo() throws Exception {
        assertErrno(() -> PathHandle.open(fs.resolve("absent")).close(), SyscallException.ENOENT);
        assertErrno(() -> PathHandle.openOrMakeDirectory(fs.resolve("absent/dir"), 0750).close(), SyscallException.ENOENT);
        assertErrno(() -> PathHandle.openOrMakeFile(fs.resolve("absent/file"), 0600).close(), SyscallException.ENOENT);
        assertThat(fs.resolve("absent")).doesNotExist();

        try (PathHandle made = PathHandle.openOrMakeDirectories(fs.resolve("absent/a/b"), 0750)) {
            assertThat(made.kind()).isEqualTo(Kind.DIRECTORY);
        }
        assertThat(fs.resolve("absent/a/b")).isDirectory();
    }

    @Test
    void openOrMakeMakesWhatIsMissingAndReturnsWhatIsThere() throws Exception {
        try (PathHandle made = PathHandle.openOrMakeDirectory(fs.resolve("target"), 0750);
             PathHandle again = PathHandle.openOrMakeDirectory(fs.resolve("target"), 0750)) {
            assertThat(made.kind()).isEqualTo(Kind.DIRECTORY);
            assertThat(made.stat().permissions()).isEqualTo(0750);
            assertThat(again.stat().inode()).isEqualTo(made.stat().inode());
            assertThat(made.entries(5)).isEmpty();
        }
        try (PathHandle file = PathHandle.openOrMakeFile(fs.resolve("block"), 0600);
             PathHandle again = PathHandle.openOrMakeFile(fs.resolve("block"), 0600)) {
            assertThat(file.kind()).isEqualTo(Kind.REGULAR_FILE);
            assertThat(file.stat().size()).isZero();
            assertThat(again.stat().inode()).isEqualTo(file.stat().inode());
        }
        // What is there is returned as it is; the caller judges it.
        try (PathHandle file = PathHandle.openOrMakeDirectory(fs.resolve("block"), 0750);
             PathHandle dir = PathHandle.openOrMakeFile(fs.resolve("target"), 0600)) {
            assertThat(file.kind()).isEqualTo(Kind.REGULAR_FILE);
            assertThat(dir.kind()).isEqualTo(Kind.DIRECTORY);
        }
        try (PathHandle dev = PathHandle.open(Path.of("/dev/null"))) {
            assertThat(dev.kind()).isEqualTo(Kind.OTHER);
        }
    }

    @Test
    void entriesNameWhatADirectoryHolds() throws Exception {
        Path full = Files.createDirectory(fs.resolve("full"));
        for (String name : new String[] {"a", "b", "c", "d"}) {
            Files.writeString(full.resolve(name), name);
        }
        try (PathHandle h = PathHandle.open(full)) {
            assertThat(h.entries(10)).containsExactlyInAnyOrder("a", "b", "c", "d");
            assertThat(h.entries(2)).hasSize(2).isSubsetOf("a", "b", "c", "d");
            assertThat(h.entries(1)).hasSize(1);
            // A rename does not change what the handle lists.
            Files.move(full, fs.resolve("moved"));
            Files.createDirectory(full);
            assertThat(h.entries(10)).hasSize(4);
        }
    }

    @Test
    void mountRootsAreToldApartAndTheirIdIsMountinfos() throws Exception {
        Path plain = Files.createDirectory(fs.resolve("plain"));
        try (PathHandle root = PathHandle.open(fs); PathHandle inside = PathHandle.open(plain);
             PathHandle above = PathHandle.open(dir)) {
            MountInfo tmpfs = MountTable.read().find(fs).orElseThrow();
            assertThat(root.isMountRoot()).isTrue();
            assertThat(root.mountId()).isEqualTo(tmpfs.mountId());
            assertThat(root.mount()).contains(tmpfs);
            assertThat(inside.isMountRoot()).isFalse();
            assertThat(inside.mountId()).isEqualTo(tmpfs.mountId());
            assertThat(above.isMountRoot()).isFalse();
            assertThat(above.mountId()).isNotEqualTo(tmpfs.mountId());
            assertThat(MountTable.read().byId(above.mountId())).contains(MountTable.read().containing(dir).orElseThrow());
            assertThat(MountTable.read().byId(-1)).isEmpty();
        }
    }

    @Test
    void aMountTargetIsFreeOnlyWhenAMountWouldHideNothing() throws Exception {
        Path empty = Files.createDirectory(fs.resolve("empty"));
        Path full = Files.createDirectory(fs.resolve("full"));
        for (int i = 0; i < 7; i++) {
            Files.writeString(full.resolve("f" + i), "x");
        }
        Path emptyFile = Files.writeString(fs.resolve("empty-file"), "");
        Path dataFile = Files.writeString(fs.resolve("data-file"), "1234");
        try (PathHandle e = PathHandle.open(empty); PathHandle f = PathHandle.open(full);
             PathHandle root = PathHandle.open(fs); PathHandle ef = PathHandle.open(emptyFile);
             PathHandle df = PathHandle.open(dataFile)) {
            assertThat(MountTarget.inspect(e, Kind.DIRECTORY)).isEqualTo(new MountTarget.Free());
            MountTarget occupied = MountTarget.inspect(f, Kind.DIRECTORY);
            assertThat(occupied).isInstanceOfSatisfying(MountTarget.Occupied.class, o -> {
                assertThat(o.firstEntries()).hasSize(MountTarget.SHOWN);
                assertThat(MountTarget.describe(o)).startsWith("holds f").endsWith(", ...");
            });
            // A mount root is reported as such whatever it holds: the caller tells its own from others'.
            assertThat(MountTarget.inspect(root, Kind.DIRECTORY))
                    .isEqualTo(new MountTarget.Mounted(MountTable.read().find(fs).orElseThrow()));
            assertThat(MountTarget.inspect(ef, Kind.DIRECTORY)).isEqualTo(new MountTarget.WrongKind(Kind.REGULAR_FILE));
            assertThat(MountTarget.inspect(e, Kind.REGULAR_FILE)).isEqualTo(new MountTarget.WrongKind(Kind.DIRECTORY));
            assertThat(MountTarget.inspect(ef, Kind.REGULAR_FILE)).isEqualTo(new MountTarget.Free());
            assertThat(MountTarget.inspect(df, Kind.REGULAR_FILE)).isInstanceOfSatisfying(MountTarget.Occupied.class,
                    o -> assertThat(MountTarget.describe(o)).isEqualTo("holds 4 bytes"));
        }
    }

    @Test
    void removalGoesThroughTheParentAndNeverFollowsALink() throws Exception {
        Path decoy = Files.createDirectory(fs.resolve("decoy"));
        Files.createDirectory(decoy.resolve("inner"));
        Files.writeString(decoy.resolve("file"), "keep");
        Files.createDirectory(fs.resolve("empty"));
        Files.writeString(fs.resolve("file"), "");
        Files.createSymbolicLink(fs.resolve("to-dir"), decoy.resolve("inner"));
        Files.createSymbolicLink(fs.resolve("to-file"), decoy.resolve("file"));
        Files.writeString(Files.createDirectory(fs.resolve("full")).resolve("x"), "x");

        try (PathHandle parent = PathHandle.open(fs)) {
            parent.removeDirectory("empty");
            parent.removeFile("file");
            assertErrno(() -> parent.removeDirectory("to-dir"), SyscallException.ENOTDIR);
            assertErrno(() -> parent.removeFile("to-file"), SyscallException.ELOOP);
            assertErrno(() -> parent.removeDirectory("full"), SyscallException.ENOTEMPTY);
            assertErrno(() -> parent.removeFile("full"), SyscallException.EISDIR);
            assertErrno(() -> parent.removeDirectory("absent"), SyscallException.ENOENT);
            assertThat(parent.childKind("absent")).isEmpty();
        }
        assertThat(fs.resolve("empty")).doesNotExist();
        assertThat(fs.resolve("file")).doesNotExist();
        assertThat(decoy.resolve("inner")).isDirectory();
        assertThat(decoy.resolve("file")).hasContent("keep");
        assertThat(fs.resolve("to-dir")).isSymbolicLink();
    }

    @Test
    void namesAndPathsAreCheckedBeforeAnyCall() throws Exception {
        assertThatThrownBy(() -> PathHandle.open(Path.of("relative"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathHandle.open(Path.of("/a/../b"))).isInstanceOf(IllegalArgumentException.class);
        try (PathHandle h = PathHandle.open(fs)) {
            for (String bad : new String[] {"", ".", "..", "a/b"}) {
                assertThatThrownBy(() -> h.child(bad)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(h.procPath().toString()).startsWith("/proc/self/fd/");
            assertThat(Files.readSymbolicLink(h.procPath())).isEqualTo(fs);
        }
    }
}
