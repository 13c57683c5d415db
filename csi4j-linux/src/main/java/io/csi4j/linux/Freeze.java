package io.csi4j.linux;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Freezes a filesystem (FIFREEZE, {@code <linux/fs.h>}): the kernel flushes it to a consistent
 * state and blocks every writer until it is thawed (FITHAW), so that a snapshot or copy taken
 * meanwhile is what a clean unmount would have left. A frozen filesystem stalls every process
 * writing to it, so a watchdog thaws it after a deadline whatever the caller does.
 */
public final class Freeze {

    static final long FIFREEZE = 0xC0045877L, // _IOWR('X', 119, int)
            FITHAW = 0xC0045878L; // _IOWR('X', 120, int)

    private Freeze() {}

    /**
     * Freezes the filesystem that holds {@code mountPoint} (all of it, wherever the path is in
     * it) until the returned {@link Frozen} is closed, or {@code maxFrozen} has passed. EBUSY when
     * it is frozen already; EOPNOTSUPP when the filesystem cannot freeze.
     */
    public static Frozen freeze(Path mountPoint, Duration maxFrozen) throws SyscallException {
        if (maxFrozen.isNegative() || maxFrozen.isZero()) {
            throw new IllegalArgumentException("maxFrozen must be positive: " + maxFrozen);
        }
        Fd fd = Fd.open(mountPoint, Fd.O_RDONLY);
        try {
            fd.ioctl("FIFREEZE", FIFREEZE, 0L);
        } catch (SyscallException | RuntimeException e) {
            fd.close();
            throw e;
        }
        // The descriptor stays open for the thaw: the path could be unmounted lazily or covered meanwhile.
        return new Frozen(fd, maxFrozen);
    }

    /**
     * Thaws the filesystem at {@code mountPoint}, for recovery after a crash that left it frozen.
     * Returns false when it was not frozen.
     */
    public static boolean thaw(Path mountPoint) throws SyscallException {
        try (Fd fd = Fd.open(mountPoint, Fd.O_RDONLY)) {
            return thaw(fd);
        }
    }

    private static boolean thaw(Fd fd) throws SyscallException {
        try {
            fd.ioctl("FITHAW", FITHAW, 0L);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.EINVAL) {
                return false;
            }
            throw e;
        }
    }

    /** A frozen filesystem; {@link #close()} thaws it, once, unless the watchdog did already. */
    public static final class Frozen implements AutoCloseable {

        private final Fd fd;
        private boolean thawed; // guarded by this: close() returns only once the thaw is done
        private final ScheduledFuture<?> watchdog;
        private volatile boolean byWatchdog;
        private volatile SyscallException watchdogFailure;

        private Frozen(Fd fd, Duration maxFrozen) {
            this.fd = fd;
            this.watchdog = Watchdog.EXECUTOR.schedule(this::expire, maxFrozen.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** The path the filesystem was frozen through. */
        public Path mountPoint() {
            return fd.path();
        }

        /** Whether the watchdog thawed the filesystem because {@code maxFrozen} passed first. */
        public boolean thawedByWatchdog() {
            return byWatchdog;
        }

        /**
         * Thaws the filesystem, unless it is thawed already (by the watchdog, or by someone else:
         * then the kernel says EINVAL, and that is fine). A failure of the watchdog's own thaw is
         * thrown here.
         */
        @Override
        public void close() throws SyscallException {
            watchdog.cancel(false);
            thawOnce(false);
            SyscallException failure = watchdogFailure;
            if (failure != null) {
                throw failure;
            }
        }

        private void expire() {
            try {
                thawOnce(true);
            } catch (SyscallException e) {
                watchdogFailure = e;
            }
        }

        private synchronized void thawOnce(boolean fromWatchdog) throws SyscallException {
            if (thawed) {
                return;
            }
            thawed = true;
            byWatchdog = fromWatchdog;
            try {
                thaw(fd);
            } finally {
                fd.close();
            }
        }
    }

    /** One daemon platform thread for every freeze: it makes a native call, which would pin a virtual one. */
    private static final class Watchdog {
        static final ScheduledExecutorService EXECUTOR;

        static {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                    Thread.ofPlatform().daemon().name("csi4j-thaw-watchdog").factory());
            executor.setRemoveOnCancelPolicy(true); // closed freezes leave no pending tasks behind
            EXECUTOR = executor;
        }
    }
}
