package io.csi4j.backend.nfs.mount;

import io.csi4j.linux.Mount;
import io.csi4j.linux.MountOptions;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.linux.Tool;
import io.csi4j.linux.ToolException;
import io.csi4j.spi.BackendUnavailable;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.PermissionDenied;
import io.csi4j.spi.VolumeNotFound;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel NFS mounts through Debian's {@code mount.nfs} helper, run with argv (never a shell) and a
 * deadline. The helper, not the mount syscall, because a mount of a server that does not answer
 * blocks in the kernel, and only a process can be killed out of that: on the deadline the helper is
 * killed, and whatever half-made mount it left is detached, so nothing hangs and nothing is left.
 * The helper resolves the server, negotiates the version and speaks MOUNT for NFSv3, exactly as
 * an administrator's {@code mount -t nfs} would.
 */
public final class NfsMounter {

    private static final Logger LOG = LoggerFactory.getLogger(NfsMounter.class);

    private final Duration deadline;

    public NfsMounter(Duration deadline) {
        this.deadline = deadline;
    }

    /**
     * Mounts {@code source} ({@code server:/path}) at {@code target} with the CO's mount flags.
     *
     * @throws InvalidParameter    for flags mount(8) would not take from a CO
     * @throws PermissionDenied    when the server refuses this node
     * @throws VolumeNotFound      when the directory does not exist on the server
     * @throws BackendUnavailable  when the server cannot be reached or does not answer in time
     */
    public void mount(String source, Path target, List<String> mountFlags, boolean readOnly) {
        MountOptions checked;
        try {
            checked = MountOptions.parse(mountFlags); // refuses bind/remount/propagation and odd characters
        } catch (IllegalArgumentException e) {
            throw new InvalidParameter(e.getMessage());
        }
        List<String> options = new java.util.ArrayList<>(mountFlags);
        if (readOnly && !checked.readOnly()) {
            options.add("ro");
        }
        List<String> argv = new java.util.ArrayList<>(List.of(helper().toString(), source, target.toString()));
        if (!options.isEmpty()) {
            argv.add("-o");
            argv.add(String.join(",", options));
        }
        Tool.Result result;
        try {
            result = Tool.run(argv, deadline);
        } catch (ToolException e) {
            if (e.reason() == ToolException.Reason.TIMED_OUT) {
                undoHalfMade(target);
                throw new BackendUnavailable("the NFS server of " + source + " did not answer within "
                        + deadline.toSeconds() + " s; the mount was abandoned, retry later");
            }
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (result.exitCode() != 0) {
            undoHalfMade(target);
            throw failure(source, result.output());
        }
    }

    /**
     * Mounts {@code source} onto the handle {@code target}, a staging path the caller checked.
     * mount.nfs takes a path string, and a path from the CO could be swapped for a symlink between
     * the check and the helper's mount; so the helper mounts at {@code scratch}, a directory of the
     * driver's own (under its data directory, where no CO path reaches), and that mount is then
     * cloned onto the handle (open_tree + move_mount: a detached clone may be attached anywhere,
     * even where moving the original would be refused because its parent mount is shared) and the
     * scratch mount detached. While it exists the scratch mount may propagate to peers of the
     * data directory's mount; its detach propagates likewise. A scratch mount left by a crash is
     * detached first.
     */
    public void mount(String source, PathHandle target, List<String> mountFlags, boolean readOnly, Path scratch) {
        try {
            while (Mount.unmountIfMounted(scratch, true)) {
                // a leftover of a run that died between the helper and the clone
            }
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mount(source, scratch, mountFlags, readOnly);
        try {
            Mount.bind(scratch, target, Set.of());
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ENOENT) {
                throw new FailedPrecondition("staging path " + target + " was removed or replaced while the volume "
                        + "was being mounted on it; nothing was mounted", e);
            }
            throw new UncheckedIOException("could not put the NFS mount of " + source + " onto " + target, e);
        } finally {
            detach(scratch);
            try {
                Files.deleteIfExists(scratch);
            } catch (IOException e) {
                LOG.warn("could not remove the scratch directory {}: {}", scratch, e.toString());
            }
        }
    }

    /**
     * What a failed helper run means. mount.nfs reports causes only as text (its exit code is 32 for
     * every mount failure), so its stable phrases, in the C locale, decide; anything else is unexpected.
     */
    static RuntimeException failure(String source, String output) {
        String text = output.toLowerCase(Locale.ROOT);
        String said = "mounting " + source + ": " + output.strip();
        if (text.contains("access denied") || text.contains("permission denied") || text.contains("operation not permitted")) {
            return new PermissionDenied(said);
        }
        if (text.contains("no such file or directory")) {
            return new VolumeNotFound(said);
        }
        if (text.contains("connection refused") || text.contains("timed out") || text.contains("no route to host")
                || text.contains("network is unreachable") || text.contains("resolve") || text.contains("not responding")) {
            return new BackendUnavailable(said);
        }
        if (text.contains("invalid argument") || text.contains("bad option") || text.contains("incorrect mount option")) {
            return new InvalidParameter(said);
        }
        return new IllegalStateException(said);
    }

    private static void undoHalfMade(Path target) {
        try {
            if (MountTable.read().isMountPoint(target)) {
                Mount.unmount(target, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not detach the abandoned mount at " + target, e);
        }
    }

    private static Path helper() {
        try {
            return Tool.locate("mount.nfs", Tool.SEARCH_DIRS);
        } catch (ToolException e) {
            throw new BackendUnavailable("this node cannot mount NFS: " + e.getMessage() + " (Debian: nfs-common)");
        }
    }

    public static void detach(Path target) {
        try {
            Mount.unmountIfMounted(target, true);
        } catch (SyscallException e) {
            throw new UncheckedIOException(e);
        }
    }
}
