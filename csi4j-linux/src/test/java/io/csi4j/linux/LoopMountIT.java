package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loop devices, mounts and the mount table together, as root on this machine's kernel. */
class LoopMountIT {

    private static final long MiB = 1 << 20;

    @TempDir
    Path dir;

    Path image;

    @BeforeEach
    void makeFilesystem() throws Exception {
        image = Fixtures.sparseImage(dir.resolve("disk.img"), 64 * MiB);
        Fixtures.run("mkfs.ext4", "-q", "-F", image.toString());
    }

    @AfterEach
    void nothingLeft() throws Exception {
        Fixtures.tearDown(dir, image);
    }

    @Test
    void mountsWritesAndBindsReadOnly() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        Path ro = Files.createDirectories(dir.resolve("ro"));
        LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults());
        try {
            LoopDevice device = loop.device();
            assertThat(device.backingFile()).contains(image.toRealPath());
            assertThat(device.sizeBytes()).isEqualTo(64 * MiB);
            assertThat(loop.status().readOnly()).isFalse();

            Mount.mount(device.path().toString(), mnt, "ext4", Set.of(MountFlag.NOSUID, MountFlag.NODEV), null);
            Files.createDirectories(mnt.resolve("sub"));
            Files.writeString(mnt.resolve("sub/hello"), "hello");
            Mount.bind(mnt.resolve("sub"), ro, true);

            assertThat(Files.readString(ro.resolve("hello"))).isEqualTo("hello");
            assertThatThrownBy(() -> Files.writeString(ro.resolve("other"), "x"))
                    .isInstanceOf(IOException.class).hasMessageContaining("Read-only file system");

            MountTable table = MountTable.read();
            MountInfo m = table.find(mnt).orElseThrow();
            assertThat(m.fsType()).isEqualTo("ext4");
            assertThat(m.source()).isEqualTo(device.path().toString());
            assertThat(m.device()).isEqualTo("7:" + device.number());
            assertThat(m.root()).isEqualTo("/");
            assertThat(m.readOnly()).isFalse();
            assertThat(m.hasOption("nosuid")).isTrue();
            assertThat(m.hasOption("nodev")).isTrue();
            MountInfo b = table.find(ro).orElseThrow();
            assertThat(b.readOnly()).isTrue();
            assertThat(b.root()).isEqualTo("/sub");
            assertThat(b.device()).isEqualTo(m.device());
            assertThat(table.isMountPoint(mnt.resolve("sub"))).isFalse();
            assertThat(table.under(dir)).extracting(MountInfo::mountPoint).containsExactly(mnt, ro);
            assertThat(table.containing(mnt.resolve("sub/hello"))).contains(m);

            Mount.unmount(ro, false);
            Mount.unmount(mnt, false);
            assertThat(MountTable.read().isMountPoint(mnt)).isFalse();
            assertThatThrownBy(() -> Mount.unmount(mnt, false)).isInstanceOfSatisfying(SyscallException.class,
                    e -> assertThat(e.errno()).isEqualTo(SyscallException.EINVAL));
            assertThatThrownBy(() -> Mount.unmount(dir.resolve("absent"), true)).isInstanceOfSatisfying(
                    SyscallException.class, e -> assertThat(e.errno()).isEqualTo(SyscallException.ENOENT));
            assertThat(Mount.unmountIfMounted(mnt, true)).isFalse();

            device.detach();
            loop.close();
            Fixtures.awaitDetached(image);
            assertThat(device.backingFile()).isEmpty();
        } finally {
            loop.close();
        }
    }

    @Test
    void autoclearDetachesWhenTheLastUserLetsGo() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        LoopDevice device;
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true))) {
            device = loop.device();
            assertThat(loop.status().autoclear()).isTrue();
            Mount.mount(device.path().toString(), mnt, "ext4", Set.of(), null);
        }
        // The mount still holds the device.
        assertThat(device.backingFile()).contains(image.toRealPath());
        assertThat(Mount.unmountIfMounted(mnt, false)).isTrue();
        Fixtures.awaitDetached(image);

        // Closing the attachment with nothing else holding the device detaches it at once.
        LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true)).close();
        Fixtures.awaitDetached(image);
    }

    @Test
    void attachesTheSameImageTwice() throws Exception {
        try (LoopAttachment a = LoopDevice.attach(image, LoopOptions.defaults());
             LoopAttachment b = LoopDevice.attach(image, LoopOptions.defaults().withReadOnly(true))) {
            assertThat(a.device()).isNotEqualTo(b.device());
            assertThat(LoopDevice.find(image)).containsExactlyInAnyOrder(a.device(), b.device());
            assertThat(b.status().readOnly()).isTrue();
            assertThat(Files.readString(Path.of("/sys/block/loop" + b.device().number() + "/ro")).strip())
                    .isEqualTo("1");
            a.device().detach();
            b.device().detach();
        }
        Fixtures.awaitDetached(image);
    }

    @Test
    void concurrentAttachesEachGetTheirOwnDevice() throws Exception {
        // Threads racing for the same free device: the losers see EBUSY and take the next one.
        int n = 6;
        List<LoopAttachment> attached = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<LoopAttachment>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return LoopDevice.attach(image, LoopOptions.defaults().withAutoclear(true));
                }));
            }
            start.countDown();
            for (Future<LoopAttachment> f : futures) {
                attached.add(f.get());
            }
        } finally {
            attached.forEach(LoopAttachment::close);
        }
        assertThat(attached).extracting(LoopAttachment::device).doesNotHaveDuplicates().hasSize(n);
        Fixtures.awaitDetached(image);
    }

    @Test
    void reportsWhetherDirectIoTookEffect() throws Exception {
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults().withDirectIo(true))) {
            String dio = Files.readString(Path.of("/sys/block/loop" + loop.device().number() + "/loop/dio")).strip();
            assertThat(loop.status().directIo()).as("sysfs dio=%s", dio).isEqualTo(dio.equals("1"));
            assertThat(loop.device().status().directIo()).isEqualTo(loop.status().directIo());
            System.out.println("direct I/O on " + image + ": " + loop.status().directIo());
            loop.device().detach();
        }
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults())) {
            assertThat(loop.status().directIo()).isFalse();
            loop.device().detach();
        }
    }

    @Test
    void growsOnlineWithSetCapacity() throws Exception {
        try (LoopAttachment loop = LoopDevice.attach(image, LoopOptions.defaults())) {
            Fixtures.sparseImage(image, 96 * MiB);
            assertThat(loop.device().sizeBytes()).isEqualTo(64 * MiB);
            loop.device().setCapacity();
            assertThat(loop.device().sizeBytes()).isEqualTo(96 * MiB);
            loop.device().detach();
        }
    }

    @Test
    void mountPointsWithSpacesTabsAndBackslashesRoundTrip() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("with space\tand tab\\and backslash"));
        Path source = Files.createDirectories(dir.resolve("source dir"));
        Mount.mount("my tmpfs", odd, "tmpfs", EnumSet.of(MountFlag.NOEXEC), "size=1m,mode=0755");
        Path bound = Files.createDirectories(dir.resolve("bound here"));
        Mount.bind(source, bound, false);

        MountTable table = MountTable.read();
        MountInfo tmpfs = table.find(odd).orElseThrow();
        assertThat(tmpfs.mountPoint()).isEqualTo(odd);
        assertThat(tmpfs.source()).isEqualTo("my tmpfs");
        assertThat(tmpfs.fsType()).isEqualTo("tmpfs");
        assertThat(tmpfs.hasOption("noexec")).isTrue();
        assertThat(tmpfs.superOption("size")).contains("1024k");
        MountInfo bind = table.find(bound).orElseThrow();
        assertThat(bind.root()).endsWith("/source dir");

        Mount.unmount(odd, false);
        Mount.unmount(bound, false);
    }
}
