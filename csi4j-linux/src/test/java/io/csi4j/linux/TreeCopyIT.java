package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree with every kind of entry and attribute, copied on a real ext4 and compared stat by stat. */
class TreeCopyIT {

    private static final long MiB = 1 << 20;
    private static final Instant MTIME = Instant.now().minus(2, ChronoUnit.HOURS).plusNanos(123_456_789),
            ATIME = Instant.now().minus(1, ChronoUnit.HOURS).plusNanos(987_654_321);

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir, dir.resolve("ext4.img"));
    }

    @Test
    void copiesEveryKindOfEntryWithOwnersModesTimesXattrsAndLinks() throws Exception {
        // noatime: the comparison reads both trees, which must not move their atimes.
        Path mnt = Fixtures.mountedImage(dir, "ext4", 128 * MiB, "ext4", Set.of(MountFlag.NOATIME),
                "mkfs.ext4", "-q", "-F");
        Path src = Files.createDirectories(mnt.resolve("src"));
        Path a = Files.createDirectories(src.resolve("a"));
        Path file = Files.writeString(a.resolve("file"), "content");
        PathCalls.lchown(file, 1000, 1001);
        PathCalls.chmod(file, 04750); // setuid survives only if the mode is set after the owner
        Xattrs.set(file, "user.color", "blue".getBytes());
        Xattrs.set(file, "trusted.secret", new byte[] {0, 1, 2});
        Xattrs.set(file, "security.label", "tag".getBytes());
        PathCalls.link(file, src.resolve("hardlink"));
        PathCalls.symlink("a/file".getBytes(), src.resolve("symlink"));
        PathCalls.lchown(src.resolve("symlink"), 42, 43);
        Xattrs.set(src.resolve("symlink"), "trusted.on-link", "l".getBytes());
        PathCalls.symlink("/nowhere/at/all".getBytes(), src.resolve("dangling"));
        PathCalls.mknod(src.resolve("fifo"), FileStat.S_IFIFO | 0620, 0);
        PathCalls.mknod(src.resolve("null"), FileStat.S_IFCHR | 0666, LibC.makedev(1, 3));
        Path sparse = Fixtures.sparseImage(src.resolve("sparse"), 16 * MiB);
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.seek(8 * MiB);
            f.write(new byte[(int) MiB]);
            f.seek(8 * MiB);
            f.write(1);
        }
        Path readOnly = Files.createDirectories(src.resolve("read-only"));
        Files.writeString(readOnly.resolve("inside"), "x");
        PathCalls.chmod(readOnly, 0555);
        PathCalls.lchown(a, 7, 8);
        PathCalls.chmod(a, 0710);
        // Another mount below the source: not entered.
        Path tmpfs = Files.createDirectories(src.resolve("mounted"));
        Mount.mount("tmpfs", tmpfs, "tmpfs", Set.of(), "size=1m");
        Files.writeString(tmpfs.resolve("not-copied"), "x");
        setTimesDeepestFirst(src);

        Path target = mnt.resolve("copy");
        TreeCopy.Result result = TreeCopy.copy(src, target);

        assertThat(result.skippedMounts()).containsExactly(tmpfs);
        assertThat(result.warnings()).isEmpty();
        assertThat(result.files()).isEqualTo(3); // file, sparse, inside
        assertThat(result.hardLinks()).isEqualTo(1);
        assertThat(result.symlinks()).isEqualTo(2);
        assertThat(result.specialFiles()).isEqualTo(2);
        assertThat(result.directories()).isEqualTo(3); // src, a, read-only
        assertThat(result.reflinkedFiles()).isZero(); // ext4
        assertThat(result.bytesCopied()).isEqualTo("content".length() + MiB + 1);

        Map<String, FileStat> before = statTree(src), after = statTree(target);
        before.keySet().removeIf(name -> name.startsWith("mounted/"));
        before.remove("mounted");
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        for (String name : before.keySet()) {
            FileStat s = before.get(name), t = after.get(name);
            assertThat(t.mode()).as("mode of %s", name).isEqualTo(s.mode());
            assertThat(List.of(t.uid(), t.gid())).as("owner of %s", name).isEqualTo(List.of(s.uid(), s.gid()));
            assertThat(t.modified()).as("mtime of %s", name).isEqualTo(s.modified()).isEqualTo(MTIME);
            assertThat(t.accessed()).as("atime of %s", name).isEqualTo(s.accessed()).isEqualTo(ATIME);
            assertThat(t.size()).as("size of %s", name).isEqualTo(s.size());
            assertThat(t.rdev()).as("rdev of %s", name).isEqualTo(s.rdev());
            assertThat(t.links()).as("links of %s", name).isEqualTo(s.links());
            assertThat(xattrs(target.resolve(name))).as("xattrs of %s", name).isEqualTo(xattrs(src.resolve(name)));
        }
        assertThat(FileStat.of(target).modified()).isEqualTo(MTIME);
        assertThat(after.get("a/file").permissions()).isEqualTo(04750);
        assertThat(after.get("hardlink").inode()).isEqualTo(after.get("a/file").inode());
        assertThat(xattrs(target.resolve("a/file"))).containsKeys("user.color", "trusted.secret", "security.label");
        assertThat(PathCalls.readlink(target.resolve("symlink"))).isEqualTo("a/file".getBytes());
        assertThat(PathCalls.readlink(target.resolve("dangling"))).isEqualTo("/nowhere/at/all".getBytes());
        assertThat(Files.mismatch(sparse, target.resolve("sparse"))).isEqualTo(-1);
        assertThat(FileAllocation.allocatedBytes(target.resolve("sparse"))).isLessThan(3 * MiB);
        assertThat(target.resolve("mounted")).doesNotExist();
    }

    @Test
    void refusesATargetThatIsNotEmptyAndFollowsNoSymlinkAtTheTop() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        assertThatThrownBy(() -> TreeCopy.copy(src, full)).isInstanceOf(IllegalArgumentException.class);
        Path link = Files.createSymbolicLink(dir.resolve("link"), src);
        assertThatThrownBy(() -> TreeCopy.copy(link, dir.resolve("t"))).isInstanceOf(IllegalArgumentException.class);

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(TreeCopy.copy(src, empty).directories()).isEqualTo(1);
    }

    private static void setTimesDeepestFirst(Path root) throws Exception {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.startsWith(root.resolve("mounted")) || p.equals(root.resolve("mounted"))).forEach(all::add);
        }
        for (Path p : all.reversed()) {
            PathCalls.setTimes(p, ATIME, MTIME);
        }
    }

    private static Map<String, FileStat> statTree(Path root) throws Exception {
        Map<String, FileStat> stats = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.filter(p -> !p.equals(root)).toList();
        }
        for (Path p : all) {
            stats.put(root.relativize(p).toString(), FileStat.of(p));
        }
        return stats;
    }

    private static Map<String, String> xattrs(Path path) throws Exception {
        Map<String, String> values = new TreeMap<>();
        for (String name : Xattrs.list(path)) {
            values.put(name, java.util.HexFormat.of().formatHex(Xattrs.get(path, name)));
        }
        return values;
    }
}
