package io.csi4j.backend.nfs.node;

import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.StatFs;
import io.csi4j.linux.SyscallException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a mounted volume is doing, read with statfs under a deadline: a hard NFS mount of a server
 * that does not answer blocks statfs indefinitely, so the call runs on a thread of its own and the
 * caller stops waiting (the thread finishes when the server answers or the mount is detached).
 */
sealed interface Health {

    int ESTALE = 116;

    /** Mounted and answering. */
    record Healthy(FileSystemStats stats) implements Health {}

    /** The file handle went stale: the server restarted without the handle, or the directory was removed. */
    record Stale() implements Health {}

    /** Did not answer within the deadline. */
    record NotResponding() implements Health {}

    /** statfs failed otherwise. */
    record Failed(SyscallException error) implements Health {}

    static Health of(Path path, Duration deadline) {
        FutureTask<FileSystemStats> task = new FutureTask<>(() -> StatFs.of(path));
        Thread.ofPlatform().daemon().name("csi4j-statfs " + path).start(task);
        try {
            return new Healthy(task.get(deadline.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return new NotResponding();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SyscallException s) {
                return s.errno() == ESTALE ? new Stale() : new Failed(s);
            }
            throw new IllegalStateException("statfs of " + path + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NotResponding();
        }
    }
}
