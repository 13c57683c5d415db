package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Project quota detection and project IDs on filesystems this machine's kernel has (its XFS has
 * no quota support, so limits themselves are tested in {@link ProjectQuotaKernelIT}).
 */
class ProjectQuotaIT {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    Path image;

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir, image == null ? new Path[0] : new Path[] {image});
    }

    private Path mount(String fsType, long size, String mkfs, String... mkfsOptions) throws Exception {
        image = Fixtures.sparseImage(dir.resolve(fsType + ".img"), size);
        String[] command = new String[mkfsOptions.length + 2];
        command[0] = mkfs;
        System.arraycopy(mkfsOptions, 0, command, 1, mkfsOptions.length);
        command[command.length - 1] = image.toString();
        Fixtures.run(command);
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true))) {
            Mount.mount(loop.device().path().toString(), mnt, fsType, Set.of(), null);
        }
        return mnt;
    }

    @Test
    void xfsWithoutPrjquotaIsUnsupportedButTakesProjectIds() throws Exception {
        Path mnt = mount("xfs", 320 * MiB, "mkfs.xfs", "-q", "-f");
        Path volume = Files.createDirectories(mnt.resolve("volume"));

        QuotaSupport support = ProjectQuota.supported(volume);
        assertThat(support.supported()).isFalse();
        assertThat(support.reason()).startsWith("xfs on /dev/loop").endsWith(mnt + " is not mounted with prjquota");
        assertThatThrownBy(() -> ProjectQuota.of(volume)).isInstanceOf(UnsupportedOperationException.class);

        // XFS keeps project IDs with or without quotas.
        ProjectQuota.assign(volume, 42);
        assertThat(ProjectQuota.projectOf(volume)).isEqualTo(42);
        assertThat(FsXattr.get(volume).projectInherit()).isTrue();
        Path child = Files.createDirectories(volume.resolve("child"));
        Files.writeString(volume.resolve("file"), "x");
        assertThat(ProjectQuota.projectOf(child)).isEqualTo(42);
        assertThat(ProjectQuota.projectOf(volume.resolve("file"))).isEqualTo(42);
        assertThat(FsXattr.get(volume.resolve("file")).projectInherit()).isFalse();
        assertThat(ProjectQuota.projectOf(mnt)).isZero();
    }

    @Test
    void ext4WithoutPrjquotaIsUnsupported() throws Exception {
        Path mnt = mount("ext4", 64 * MiB, "mkfs.ext4", "-q", "-F");
        QuotaSupport support = ProjectQuota.supported(mnt);
        assertThat(support.supported()).isFalse();
        assertThat(support.reason()).startsWith("ext4 on /dev/loop").endsWith("is not mounted with prjquota");
        // Without the project feature, ext4 refuses project IDs.
        assertThatThrownBy(() -> ProjectQuota.assign(mnt, 7)).isInstanceOf(SyscallException.class)
                .hasMessageContaining("FS_IOC_FSSETXATTR");
    }

    @Test
    void otherFilesystemsAreUnsupported() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("tmpfs"));
        Mount.mount("csi4j-test", mnt, "tmpfs", Set.of(), "size=1m");
        QuotaSupport support = ProjectQuota.supported(mnt);
        assertThat(support.supported()).isFalse();
        assertThat(support.reason()).isEqualTo("tmpfs on csi4j-test at " + mnt
                + ": project quotas are supported on xfs and ext4 only");
    }
}
