package io.csi4j.kernel.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** NBD and device-mapper, which this machine's kernel lacks. */
@Tag("kernel")
class BlockDevicesTest {

    @BeforeAll
    static void inTheGuest() {
        Guest.require();
    }

    @Test
    void nbdDevicesExist() throws Exception {
        assertThat(Guest.isBlockDevice(Path.of("/dev/nbd0"))).as("/dev/nbd0 is a block device").isTrue();
        assertThat(Path.of("/sys/block/nbd0")).exists();
    }

    @Test
    void deviceMapperMapsALinearTargetOverALoopDevice() throws Exception {
        Path dir = Guest.workDir("dm");
        try (Cleanup cleanup = new Cleanup()) {
            cleanup.add(() -> Guest.deleteTree(dir));
            Path image = Guest.sparseFile(dir.resolve("dm.img"), 32L << 20);
            String loop = Command.ok("losetup", "--find", "--show", image.toString());
            cleanup.add(() -> Command.ok("losetup", "-d", loop));
            String name = "csi4j-smoke-" + ProcessHandle.current().pid();
            // no udev in the guest: no udev sync, and mknodes makes /dev/mapper/NAME
            Command.ok("dmsetup", "create", name, "--noudevsync", "--table", "0 " + (32L << 20) / 512 + " linear " + loop + " 0");
            cleanup.add(() -> Command.ok("dmsetup", "remove", "--noudevsync", name));
            Command.ok("dmsetup", "mknodes", name);
            Path mapped = Path.of("/dev/mapper", name);
            assertThat(Guest.isBlockDevice(mapped)).as(mapped + " is a block device").isTrue();

            byte[] pattern = new byte[64 << 10];
            new Random(42).nextBytes(pattern);
            try (FileChannel channel = FileChannel.open(mapped, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(pattern), 1L << 20);
                channel.force(true);
            }
            ByteBuffer read = ByteBuffer.allocate(pattern.length);
            try (FileChannel channel = FileChannel.open(Path.of(loop), StandardOpenOption.READ)) {
                while (read.hasRemaining() && channel.read(read, (1L << 20) + read.position()) > 0) {
                    // a block device reads fully; loop in case it returns less
                }
            }
            assertThat(read.array()).as("the loop device under the mapping").isEqualTo(pattern);
        }
    }
}
