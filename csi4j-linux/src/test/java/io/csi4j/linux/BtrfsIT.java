package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Btrfs subvolumes, snapshots and qgroup limits on a real btrfs: an image on a loop device
 * attached with {@link LoopDevice} and mounted with {@link Mount}. Needs root and mkfs.btrfs.
 */
class BtrfsIT {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    Path image;
    Path mnt;

    @BeforeEach
    void mountBtrfs() throws Exception {
        image = Fixtures.sparseImage(dir.resolve("btrfs.img"), 256 * MiB);
        Fixtures.run("mkfs.btrfs", "-q", "-f", image.toString());
        mnt = Files.createDirectories(dir.resolve("mnt"));
        // Autoclear: the mount holds the device, and unmounting detaches it.
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true))) {
            Mount.mount(loop.device().path().toString(), mnt, "btrfs", Set.of(), null);
        }
    }

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir, image);
    }

    @Test
    void aQgroupLimitStopsWritesWithEdquot() throws Exception {
        Path volume = mnt.resolve("vol");
        Btrfs.createSubvolume(volume);
        assertThat(Btrfs.isSubvolume(volume)).isTrue();
        assertThat(Btrfs.isSubvolume(mnt)).isTrue();
        assertThat(Btrfs.subvolumeId(mnt)).isEqualTo(5);
        long id = Btrfs.subvolumeId(volume);
        assertThat(id).isGreaterThanOrEqualTo(256);
        assertThat(Btrfs.subvolumeId(Files.createDirectories(volume.resolve("a/b")))).isEqualTo(id);
        assertThat(Btrfs.isSubvolume(volume.resolve("a"))).isFalse();

        BtrfsQuota.enable(mnt);
        BtrfsQuota.awaitRescan(mnt);
        BtrfsQuota.limitReferenced(volume, 10 * MiB);

        assertThatThrownBy(() -> Fixtures.write(volume.resolve("big"), 20 * MiB))
                .isInstanceOf(IOException.class).hasMessageContaining("Disk quota exceeded");

        Btrfs.sync(volume);
        QgroupUsage usage = BtrfsQuota.usage(volume);
        assertThat(usage.qgroupId()).isEqualTo(id);
        assertThat(usage.referencedLimit()).hasValue(10 * MiB);
        assertThat(usage.referencedBytes()).isBetween(1 * MiB, 10 * MiB);
        assertThat(usage.exclusiveBytes()).isBetween(1 * MiB, 10 * MiB);

        // Without the limit the same write goes through.
        BtrfsQuota.removeLimit(volume);
        Files.delete(volume.resolve("big"));
        Fixtures.write(volume.resolve("big"), 20 * MiB);
        Btrfs.sync(volume);
        assertThat(BtrfsQuota.usage(volume).referencedLimit()).isEmpty();
        assertThat(BtrfsQuota.usage(volume).referencedBytes()).isGreaterThanOrEqualTo(20 * MiB);

        Btrfs.deleteSubvolume(volume);
        assertThat(volume).doesNotExist();
    }

    @Test
    void snapshotsAreSubvolumesOfTheirOwn() throws Exception {
        Path volume = mnt.resolve("vol");
        Path snap = mnt.resolve("snap");
        Btrfs.createSubvolume(volume);
        Files.writeString(volume.resolve("file"), "before");
        Btrfs.snapshot(volume, snap, true);
        Files.writeString(volume.resolve("file"), "after");

        assertThat(Btrfs.isSubvolume(snap)).isTrue();
        assertThat(Btrfs.subvolumeId(snap)).isNotEqualTo(Btrfs.subvolumeId(volume));
        assertThat(Files.readString(snap.resolve("file"))).isEqualTo("before");
        assertThatThrownBy(() -> Files.writeString(snap.resolve("file"), "x"))
                .isInstanceOf(IOException.class).hasMessageContaining("Read-only file system");

        Btrfs.deleteSubvolume(snap);
        Btrfs.deleteSubvolume(volume);
        assertThat(mnt.resolve("snap")).doesNotExist();
        assertThat(mnt.resolve("vol")).doesNotExist();
    }

    @Test
    void aWritableSnapshotOfAReadOnlyOneIsAVolumeRestored() throws Exception {
        // A volume snapshot is read-only; a volume made from it (a restore or a clone) is a writable snapshot of that.
        Path volume = mnt.resolve("vol");
        Btrfs.createSubvolume(volume);
        Files.createDirectories(volume.resolve("dir"));
        Files.writeString(volume.resolve("dir/file"), "v1");
        Path snap = mnt.resolve("snap");
        Btrfs.snapshot(volume, snap, true);
        Btrfs.deleteSubvolume(volume); // a snapshot outlives its source

        Path restored = mnt.resolve("restored");
        Btrfs.snapshot(snap, restored, false);
        assertThat(Files.readString(restored.resolve("dir/file"))).isEqualTo("v1");
        Files.writeString(restored.resolve("dir/file"), "v2");
        assertThat(Files.readString(snap.resolve("dir/file"))).isEqualTo("v1");
        assertThat(Btrfs.subvolumeId(restored)).isNotEqualTo(Btrfs.subvolumeId(snap));

        assertThatThrownBy(() -> Btrfs.snapshot(snap, restored, false))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.EEXIST));
        Btrfs.deleteSubvolume(restored);
        Btrfs.deleteSubvolume(snap);
    }

    @Test
    void failuresCarryErrno() throws Exception {
        Btrfs.createSubvolume(mnt.resolve("vol"));
        assertThatThrownBy(() -> Btrfs.createSubvolume(mnt.resolve("vol")))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.EEXIST))
                .hasMessageContaining("BTRFS_IOC_SUBVOL_CREATE");
        assertThatThrownBy(() -> Btrfs.deleteSubvolume(mnt.resolve("absent")))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.ENOENT));
        // Quotas are off: no qgroup to limit or read.
        assertThatThrownBy(() -> BtrfsQuota.usage(mnt.resolve("vol"))).isInstanceOf(SyscallException.class);
        // Not btrfs at all: the ioctl is unknown there.
        assertThatThrownBy(() -> Btrfs.createSubvolume(dir.resolve("not-btrfs")))
                .isInstanceOfSatisfying(SyscallException.class,
                        e -> assertThat(e.errno()).isEqualTo(SyscallException.ENOTTY));
        assertThat(Btrfs.isSubvolume(dir)).isFalse();
        Btrfs.deleteSubvolume(mnt.resolve("vol"));
    }
}
