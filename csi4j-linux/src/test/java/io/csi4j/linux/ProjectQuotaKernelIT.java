package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Project quota limits enforced by the kernel, on XFS and ext4 images under target/. Needs a
 * kernel with quota support (XFS quota, ext4 QFMT_V2): tagged "kernel", so it runs in the QEMU
 * guest on Debian's stock kernel, never on the build host.
 */
@Tag("kernel")
class ProjectQuotaKernelIT {

    private static final long MiB = 1 << 20;
    private static final int PROJECT = 42;

    Path work;
    Path image;

    @BeforeEach
    void workDirectory() throws IOException {
        // Under target/, not /tmp: in the guest /tmp is a small tmpfs of its own.
        Path base = Files.createDirectories(Path.of("target", "kernel-images").toAbsolutePath());
        work = Files.createTempDirectory(base, "quota-");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        try {
            Fixtures.tearDown(work, image == null ? new Path[0] : new Path[] {image});
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Path mount(String fsType, long size, String options, String... mkfs) throws Exception {
        image = Fixtures.sparseImage(work.resolve(fsType + ".img"), size);
        String[] command = new String[mkfs.length + 1];
        System.arraycopy(mkfs, 0, command, 0, mkfs.length);
        command[mkfs.length] = image.toString();
        Fixtures.run(command);
        Path mnt = Files.createDirectories(work.resolve("mnt"));
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true))) {
            Mount.mount(loop.device().path().toString(), mnt, fsType, Set.of(), options);
        }
        return mnt;
    }

    @Test
    void xfsStopsAWritePastTheLimitWithEnospc() throws Exception {
        Path mnt = mount("xfs", 320 * MiB, "prjquota", "mkfs.xfs", "-q", "-f");
        Path volume = Files.createDirectories(mnt.resolve("volume"));

        QuotaSupport support = ProjectQuota.supported(volume);
        assertThat(support.supported()).as(support.reason()).isTrue();
        ProjectQuota quota = ProjectQuota.of(volume);
        assertThat(quota.device().toString()).startsWith("/dev/loop");
        ProjectQuota.assign(volume, PROJECT);
        quota.setLimit(PROJECT, 10 * MiB, 10 * MiB);

        // XFS enforces project limits on root too.
        assertThatThrownBy(() -> Fixtures.write(volume.resolve("big"), 20 * MiB))
                .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");

        QuotaUsage usage = quota.usage(PROJECT);
        assertThat(usage.hardLimitBytes()).isEqualTo(10 * MiB);
        assertThat(usage.softLimitBytes()).isEqualTo(10 * MiB);
        assertThat(usage.usedBytes()).isBetween(1 * MiB, 10 * MiB);
        assertThat(usage.usedInodes()).isGreaterThanOrEqualTo(2); // the directory and the file

        quota.removeLimit(PROJECT);
        assertThat(quota.usage(PROJECT).hardLimitBytes()).isZero();
    }

    @Test
    void ext4StopsAnUnprivilegedWritePastTheLimitWithEdquot() throws Exception {
        Path mnt = mount("ext4", 128 * MiB, "prjquota", "mkfs.ext4", "-q", "-F", "-O", "quota,project");
        Path volume = Files.createDirectories(mnt.resolve("volume"));

        QuotaSupport support = ProjectQuota.supported(volume);
        assertThat(support.supported()).as(support.reason()).isTrue();
        ProjectQuota quota = ProjectQuota.of(volume);
        ProjectQuota.assign(volume, PROJECT);
        quota.setLimit(PROJECT, 10 * MiB, 10 * MiB);

        // ext4 lets CAP_SYS_RESOURCE through: write from a process without it.
        Fixtures.Result dd = Fixtures.runAllowingFailure("setpriv", "--inh-caps=-sys_resource",
                "--bounding-set=-sys_resource", "dd", "if=/dev/zero", "of=" + volume.resolve("big"), "bs=1M",
                "count=20", "conv=fsync");
        assertThat(dd.exitCode()).as(dd.output()).isNotZero();
        assertThat(dd.output()).contains("Disk quota exceeded");

        QuotaUsage usage = quota.usage(PROJECT);
        assertThat(usage.hardLimitBytes()).isEqualTo(10 * MiB);
        assertThat(usage.usedBytes()).isBetween(1 * MiB, 10 * MiB);
        assertThat(usage.usedInodes()).isGreaterThanOrEqualTo(2);
    }
}
