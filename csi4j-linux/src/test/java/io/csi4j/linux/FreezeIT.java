package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FIFREEZE/FITHAW on a real ext4; every test thaws, so a failure cannot leave writers stuck. */
class FreezeIT {

    @TempDir
    Path dir;

    Path mnt;

    @BeforeEach
    void mountExt4() throws Exception {
        mnt = Fixtures.mountedImage(dir, "ext4", 64L << 20, "ext4", "mkfs.ext4", "-q", "-F");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        try {
            Freeze.thaw(mnt); // a failed test must not leave the unmount (and the next test) hanging
        } finally {
            Fixtures.tearDown(dir, dir.resolve("ext4.img"));
        }
    }

    @Test
    void aWriteWaitsUntilThaw() throws Exception {
        CompletableFuture<Void> write;
        try (Freeze.Frozen frozen = Freeze.freeze(mnt, Duration.ofMinutes(1))) {
            assertThat(frozen.mountPoint()).isEqualTo(mnt);
            assertThatThrownBy(() -> Freeze.freeze(mnt, Duration.ofMinutes(1)))
                    .isInstanceOfSatisfying(SyscallException.class,
                            e -> assertThat(e.errno()).isEqualTo(SyscallException.EBUSY));
            write = CompletableFuture.runAsync(() -> {
                try {
                    Files.writeString(mnt.resolve("during"), "x");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, command -> Thread.ofPlatform().daemon().start(command));
            assertThatThrownBy(() -> write.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(frozen.thawedByWatchdog()).isFalse();
        }
        write.get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(mnt.resolve("during"))).isEqualTo("x");
        assertThat(Freeze.thaw(mnt)).as("thawed exactly once already").isFalse();
    }

    @Test
    void theWatchdogThawsAfterMaxFrozen() throws Exception {
        Freeze.Frozen frozen = Freeze.freeze(mnt, Duration.ofMillis(300));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!frozen.thawedByWatchdog() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(frozen.thawedByWatchdog()).isTrue();
        // Thawed for real: a write goes straight through, and the kernel says it is not frozen.
        CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(mnt.resolve("after"), "y");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(Freeze.thaw(mnt)).isFalse();
        frozen.close(); // nothing left to thaw, and no error
        frozen.close();
        assertThat(frozen.thawedByWatchdog()).isTrue();
    }

    @Test
    void thawRecoversAFilesystemLeftFrozen() throws Exception {
        Freeze.Frozen forgotten = Freeze.freeze(mnt, Duration.ofMinutes(1)); // as if its caller crashed
        assertThat(Freeze.thaw(mnt)).isTrue();
        assertThat(Freeze.thaw(mnt)).isFalse();
        forgotten.close(); // releases its descriptor; the thaw it would make finds nothing frozen
        assertThat(forgotten.thawedByWatchdog()).isFalse();
    }
}
