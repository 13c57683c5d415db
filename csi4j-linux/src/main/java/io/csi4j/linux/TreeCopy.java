package io.csi4j.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies a directory tree with everything a volume's files carry: regular files (reflinked where
 * the filesystem can, else sparse copies), directories, symlinks as they are, fifos, sockets and
 * device nodes, hard links as links, owners, modes, times to the nanosecond and extended
 * attributes (user.*, trusted.*, security.*, ACLs). It never follows a symlink and never enters
 * another mount below the source (bind mounts and btrfs subvolumes' mounts included): those are
 * reported and skipped. The copy is as consistent as the source is still; freeze or snapshot it
 * first. On failure the partial target is left for the caller to remove.
 */
public final class TreeCopy {

    /**
     * What was copied.
     *
     * @param files          regular files, hard links not counted again
     * @param directories    directories, the top one included
     * @param symlinks       symbolic links
     * @param specialFiles   fifos, sockets and device nodes
     * @param hardLinks      names made as hard links to something copied before
     * @param bytesCopied    data moved (reflinked and hole bytes not counted)
     * @param reflinkedFiles regular files that share their source's blocks
     * @param skippedMounts  mount points below the source, not entered
     * @param warnings       what the target refused (an extended attribute it does not support) and was left out
     */
    public record Result(long files, long directories, long symlinks, long specialFiles, long hardLinks,
                         long bytesCopied, long reflinkedFiles, List<Path> skippedMounts, List<String> warnings) {
        public Result {
            skippedMounts = List.copyOf(skippedMounts);
            warnings = List.copyOf(warnings);
        }
    }

    private record InodeKey(long device, long inode) {}

    private final long mountId;
    private final Map<InodeKey, Path> copiedInodes = new HashMap<>();
    private final List<Path> skippedMounts = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long files, directories, symlinks, specialFiles, hardLinks, bytesCopied, reflinkedFiles;

    private TreeCopy(long mountId) {
        this.mountId = mountId;
    }

    /**
     * Copies the tree at {@code sourceDir} to {@code targetDir}, which must not exist or be an
     * empty directory; either way it ends with the source directory's owner, mode and times.
     */
    public static Result copy(Path sourceDir, Path targetDir) throws IOException {
        FileStat root = FileStat.of(sourceDir);
        if (!root.isDirectory()) {
            throw new IllegalArgumentException("not a directory: " + sourceDir);
        }
        if (Files.exists(targetDir, LinkOption.NOFOLLOW_LINKS)) {
            if (!FileStat.of(targetDir).isDirectory() || !isEmpty(targetDir)) {
                throw new IllegalArgumentException("target exists and is not an empty directory: " + targetDir);
            }
        } else {
            PathCalls.mkdir(targetDir, 0700);
        }
        TreeCopy copy = new TreeCopy(root.mountId());
        copy.copyDirectory(sourceDir, targetDir, root);
        return new Result(copy.files, copy.directories, copy.symlinks, copy.specialFiles, copy.hardLinks,
                copy.bytesCopied, copy.reflinkedFiles, copy.skippedMounts, copy.warnings);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    /** The contents first, then the directory's own metadata, so that creating them cannot change its times. */
    private void copyDirectory(Path source, Path target, FileStat stat) throws IOException {
        directories++;
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(source)) {
            stream.forEach(entries::add);
        }
        entries.sort(null); // a stable order, so that the first of a set of hard links is always the same
        for (Path entry : entries) {
            copyEntry(entry, target.resolve(entry.getFileName().toString()));
        }
        copyMetadata(source, target, stat);
    }

    private void copyEntry(Path source, Path target) throws IOException {
        FileStat stat = FileStat.of(source);
        if (stat.mountId() != mountId) {
            skippedMounts.add(source);
            return;
        }
        if (stat.isDirectory()) {
            PathCalls.mkdir(target, 0700); // owner only until its contents are in
            copyDirectory(source, target, stat);
            return;
        }
        InodeKey key = new InodeKey(stat.device(), stat.inode());
        if (stat.links() > 1) {
            Path first = copiedInodes.get(key);
            if (first != null) {
                PathCalls.link(first, target);
                hardLinks++;
                return;
            }
        }
        switch (stat.type()) {
            case FileStat.S_IFREG -> {
                switch (FileCopy.cloneOrCopy(source, target)) {
                    case FileCopy.Reflinked() -> reflinkedFiles++;
                    case FileCopy.Copied(long bytes) -> bytesCopied += bytes;
                }
                files++;
            }
            case FileStat.S_IFLNK -> {
                PathCalls.symlink(PathCalls.readlink(source), target);
                symlinks++;
            }
            default -> { // fifo, socket, character or block device
                PathCalls.mknod(target, stat.type() | 0600, stat.rdev());
                specialFiles++;
            }
        }
        copyMetadata(source, target, stat);
        if (stat.links() > 1) {
            copiedInodes.put(key, target);
        }
    }

    /**
     * Owner first (chown clears setuid/setgid and file capabilities), then mode, then extended
     * attributes, then times (setting the others changes only ctime, which cannot be set).
     */
    private void copyMetadata(Path source, Path target, FileStat stat) throws IOException {
        PathCalls.lchown(target, stat.uid(), stat.gid());
        if (!stat.isSymbolicLink()) {
            PathCalls.chmod(target, stat.permissions());
        }
        for (String name : Xattrs.list(source)) {
            byte[] value;
            try {
                value = Xattrs.get(source, name);
            } catch (SyscallException e) {
                if (e.errno() == SyscallException.ENODATA) {
                    continue; // removed since it was listed
                }
                throw e;
            }
            try {
                Xattrs.set(target, name, value);
            } catch (SyscallException e) {
                if (!refused(e.errno())) {
                    throw e;
                }
                warnings.add(target + ": extended attribute " + name + " not copied: " + e.getMessage());
            }
        }
        PathCalls.setTimes(target, stat.accessed(), stat.modified());
    }

    /** The target filesystem will not take this attribute: no such namespace, not allowed, too big. */
    private static boolean refused(int errno) {
        return errno == SyscallException.EOPNOTSUPP || errno == SyscallException.EPERM
                || errno == SyscallException.ENOSPC || errno == SyscallException.ERANGE
                || errno == SyscallException.EINVAL || errno == SyscallException.EACCES
                || errno == SyscallException.E2BIG;
    }
}
