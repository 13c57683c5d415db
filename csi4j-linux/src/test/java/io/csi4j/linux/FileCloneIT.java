package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reflinks and their fallback on real XFS (reflink=1), btrfs and ext4, each on a loop device. */
class FileCloneIT {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir, dir.resolve("xfs.img"), dir.resolve("btrfs.img"), dir.resolve("ext4.img"));
    }

    @Test
    void reflinksOnXfsShareTheBlocksAndKeepTheMode() throws Exception {
        Path mnt = Fixtures.mountedImage(dir, "xfs", 300 * MiB, "xfs", "mkfs.xfs", "-q", "-f", "-m", "reflink=1");
        reflinkSharesBlocks(mnt);
    }

    @Test
    void reflinksOnBtrfs() throws Exception {
        Path mnt = Fixtures.mountedImage(dir, "btrfs", 256 * MiB, "btrfs", "mkfs.btrfs", "-q", "-f");
        reflinkSharesBlocks(mnt);
    }

    private static void reflinkSharesBlocks(Path mnt) throws Exception {
        assertThat(FileClone.canReflink(mnt)).isTrue();
        assertThat(mnt.toFile().list()).as("the probe cleans up").isEmpty();

        Path source = mnt.resolve("source");
        Fixtures.write(source, 64 * MiB);
        Files.write(source, "head".getBytes(), java.nio.file.StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(source, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        long freeBefore = StatFs.of(mnt).freeBytes();

        FileClone.reflink(source, mnt.resolve("clone"));

        assertThat(Files.mismatch(source, mnt.resolve("clone"))).isEqualTo(-1);
        assertThat(FileStat.of(mnt.resolve("clone")).permissions()).isEqualTo(0640);
        // 64 MiB more data would show; shared blocks cost (almost) nothing.
        assertThat(freeBefore - StatFs.of(mnt).freeBytes()).isLessThan(8 * MiB);
        assertThat(FileCopy.cloneOrCopy(source, mnt.resolve("again"))).isEqualTo(new FileCopy.Reflinked());

        // The clone is a file of its own: writing it leaves the source as it was.
        Files.write(mnt.resolve("clone"), "HEAD".getBytes(), java.nio.file.StandardOpenOption.WRITE);
        assertThat(new String(Files.readAllBytes(source), 0, 4)).isEqualTo("head");
    }

    @Test
    void ext4CannotReflinkSoCloneOrCopyCopies() throws Exception {
        Path mnt = Fixtures.mountedImage(dir, "ext4", 64 * MiB, "ext4", "mkfs.ext4", "-q", "-F");
        assertThat(FileClone.canReflink(mnt)).isFalse();
        assertThat(mnt.toFile().list()).containsExactly("lost+found");

        Path source = mnt.resolve("source");
        Fixtures.write(source, 2 * MiB);
        assertThatThrownBy(() -> FileClone.reflink(source, mnt.resolve("clone")))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.EOPNOTSUPP));
        assertThat(mnt.resolve("clone")).as("no partial target").doesNotExist();

        assertThat(FileCopy.cloneOrCopy(source, mnt.resolve("copy"))).isEqualTo(new FileCopy.Copied(2 * MiB));
        assertThat(Files.mismatch(source, mnt.resolve("copy"))).isEqualTo(-1);
    }

    @Test
    void acrossFilesystemsIsExdevAndFallsBackToACopy() throws Exception {
        Path xfs = Fixtures.mountedImage(dir, "xfs", 300 * MiB, "xfs", "mkfs.xfs", "-q", "-f", "-m", "reflink=1");
        Path source = xfs.resolve("source");
        Fixtures.write(source, MiB);
        Path target = dir.resolve("elsewhere");
        assertThatThrownBy(() -> FileClone.reflink(source, target)).isInstanceOfSatisfying(SyscallException.class,
                e -> assertThat(e.errno()).isEqualTo(SyscallException.EXDEV));
        assertThat(target).doesNotExist();
        assertThat(FileCopy.cloneOrCopy(source, target)).isEqualTo(new FileCopy.Copied(MiB));
        assertThat(Files.mismatch(source, target)).isEqualTo(-1);
    }

    @Test
    void anExistingTargetIsLeftAlone() throws Exception {
        Path mnt = Fixtures.mountedImage(dir, "btrfs", 256 * MiB, "btrfs", "mkfs.btrfs", "-q", "-f");
        Files.writeString(mnt.resolve("source"), "new");
        Files.writeString(mnt.resolve("target"), "old");
        assertThatThrownBy(() -> FileClone.reflink(mnt.resolve("source"), mnt.resolve("target")))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.EEXIST));
        assertThat(Files.readString(mnt.resolve("target"))).isEqualTo("old");
    }
}
