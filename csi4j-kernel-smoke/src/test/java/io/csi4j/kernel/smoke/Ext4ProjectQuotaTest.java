package io.csi4j.kernel.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** ext4 project quotas, which this machine's kernel lacks (no QFMT_V2). */
@Tag("kernel")
class Ext4ProjectQuotaTest {

    @BeforeAll
    static void inTheGuest() {
        Guest.require();
    }

    @Test
    void aTenMibProjectLimitStopsAWriterWithoutCapSysResourceWithEdquot() throws Exception {
        Path dir = Guest.workDir("ext4");
        try (Cleanup cleanup = new Cleanup()) {
            cleanup.add(() -> Guest.deleteTree(dir));
            Path image = Guest.sparseFile(dir.resolve("ext4.img"), 64L << 20);
            Command.ok("mkfs.ext4", "-q", "-F", "-O", "quota,project", image.toString());
            String loop = Command.ok("losetup", "--find", "--show", image.toString());
            cleanup.add(() -> Command.ok("losetup", "-d", loop));
            Path mnt = Files.createDirectories(dir.resolve("mnt"));
            Command.ok("mount", "-t", "ext4", "-o", "prjquota", loop, mnt.toString());
            cleanup.add(() -> Command.ok("umount", mnt.toString()));

            Path volume = Files.createDirectories(mnt.resolve("volume"));
            Command.ok("chattr", "-p", "42", "+P", volume.toString());
            Command.ok("setquota", "-P", "42", "0", "10240", "0", "0", mnt.toString()); // 1 KiB blocks

            // root's CAP_SYS_RESOURCE bypasses ext4 limits: the writer runs without it
            Path big = volume.resolve("big");
            Command.Result write = Command.run("setpriv", "--inh-caps=-sys_resource", "--bounding-set=-sys_resource",
                    "--", "dd", "if=/dev/zero", "of=" + big, "bs=1M", "count=20", "conv=fsync");
            assertThat(write.exitCode()).as(write.output()).isNotZero();
            assertThat(write.output()).contains("Disk quota exceeded");
            assertThat(Files.size(big)).isLessThanOrEqualTo(10L << 20);
        }
    }
}
