package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online growth of mounted ext4 and xfs after their image and loop device grew. */
class ResizeIT {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir, dir.resolve("ext4.img"), dir.resolve("xfs.img"));
    }

    @Test
    void growsAMountedExt4() throws Exception {
        // ext4's online resize ioctls want CAP_SYS_RESOURCE, which the build machines' root lacks.
        assumeTrue(hasCapability(CAP_SYS_RESOURCE), "no CAP_SYS_RESOURCE: resize2fs would get EPERM");
        Path mnt = Fixtures.mountedImage(dir, "ext4", 64 * MiB, "ext4", "mkfs.ext4", "-q", "-F");
        growsOnline(mnt, dir.resolve("ext4.img"), "ext4", 64 * MiB, 128 * MiB);
    }

    @Test
    void growsAMountedXfs() throws Exception {
        Path mnt = Fixtures.mountedImage(dir, "xfs", 300 * MiB, "xfs", "mkfs.xfs", "-q", "-f");
        growsOnline(mnt, dir.resolve("xfs.img"), "xfs", 300 * MiB, 400 * MiB);
    }

    @Test
    void growsAnUnmountedExt4() throws Exception {
        Path image = Fixtures.sparseImage(dir.resolve("ext4.img"), 64 * MiB);
        Fixtures.run("mkfs.ext4", "-q", "-F", image.toString());
        Fixtures.sparseImage(image, 128 * MiB);
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true))) {
            Fixtures.run("e2fsck", "-f", "-p", loop.device().path().toString()); // resize2fs insists on a fresh check
            Resize.growFilesystem(loop.device().path(), "ext4", null);
            Mount.mount(loop.device().path().toString(), mnt, "ext4", Set.of(), null);
        }
        assertThat(StatFs.of(mnt).totalBytes()).isBetween(110 * MiB, 128 * MiB);
    }

    static final int CAP_SYS_RESOURCE = 24;

    /** Whether this process has a capability, from CapEff in /proc/self/status. */
    static boolean hasCapability(int capability) throws Exception {
        String effective = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).strip();
        return (Long.parseUnsignedLong(effective, 16) & (1L << capability)) != 0;
    }

    private static void growsOnline(Path mnt, Path image, String fsType, long from, long to) throws Exception {
        LoopDevice device = LoopDevice.find(image).getFirst();
        long before = StatFs.of(mnt).totalBytes();
        assertThat(before).isLessThanOrEqualTo(from);

        Fixtures.sparseImage(image, to);
        device.setCapacity();
        Resize.growFilesystem(device.path(), fsType, mnt);

        long after = StatFs.of(mnt).totalBytes();
        // The filesystem keeps some of the space for its own metadata, the same share before and after.
        assertThat(after - before).isGreaterThan((to - from) * 9 / 10);
        assertThat(after).isLessThanOrEqualTo(to);
    }

    @Test
    void aFailureCarriesTheToolsOutput() throws Exception {
        assertThatThrownBy(() -> Resize.growFilesystem(dir.resolve("no-such-device"), "ext4", null))
                .isInstanceOfSatisfying(ToolException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ToolException.Reason.FAILED);
                    assertThat(e.tool()).isEqualTo("resize2fs");
                    assertThat(e.output()).contains("no-such-device");
                });
        assertThatThrownBy(() -> Resize.growFilesystem(dir.resolve("dev"), "xfs", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Resize.growFilesystem(dir.resolve("dev"), "vfat", dir))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
