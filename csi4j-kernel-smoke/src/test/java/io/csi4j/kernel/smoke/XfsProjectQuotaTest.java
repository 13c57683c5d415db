package io.csi4j.kernel.smoke;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** XFS project quotas, which this machine's kernel lacks (its XFS is built without quota). */
@Tag("kernel")
class XfsProjectQuotaTest {

    @BeforeAll
    static void inTheGuest() {
        Guest.require();
    }

    @Test
    void aTenMibProjectLimitStopsATwentyMibWriteWithEnospc() throws Exception {
        Path dir = Guest.workDir("xfs");
        try (Cleanup cleanup = new Cleanup()) {
            cleanup.add(() -> Guest.deleteTree(dir));
            // mkfs.xfs refuses filesystems under 300 MiB; the image is sparse
            Path image = Guest.sparseFile(dir.resolve("xfs.img"), 512L << 20);
            Command.ok("mkfs.xfs", "-q", "-f", image.toString());
            String loop = Command.ok("losetup", "--find", "--show", image.toString());
            cleanup.add(() -> Command.ok("losetup", "-d", loop));
            Path mnt = Files.createDirectories(dir.resolve("mnt"));
            Command.ok("mount", "-t", "xfs", "-o", "prjquota", loop, mnt.toString());
            cleanup.add(() -> Command.ok("umount", mnt.toString()));

            Path volume = Files.createDirectories(mnt.resolve("volume"));
            Command.ok("xfs_quota", "-x", "-c", "project -s -p " + volume + " 42", mnt.toString());
            Command.ok("xfs_quota", "-x", "-c", "limit -p bhard=10m 42", mnt.toString());

            assertThatThrownBy(() -> Guest.write(volume.resolve("big"), 20L << 20))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left on device");
            // the filesystem had room: it was the project's limit that stopped the write
            Guest.write(mnt.resolve("outside-the-project"), 12L << 20);
        }
    }
}
