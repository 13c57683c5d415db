package io.csi4j.backend.nfs.share;

import io.csi4j.backend.nfs.libnfs.NfsAttributes;
import io.csi4j.backend.nfs.libnfs.NfsEntry;
import io.csi4j.backend.nfs.libnfs.NfsSpace;
import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.StatFs;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** A share reached through a local path: a shared filesystem mounted here at the same path as on every node. */
public final class LocalShareFiles implements ShareFiles {

    private final Path root;
    private final String description;

    public LocalShareFiles(Path root) {
        this(root, root.toString());
    }

    /** A share reached through {@code root}, named {@code description} in messages (a mounted export's name). */
    public LocalShareFiles(Path root, String description) {
        this.root = root;
        this.description = description;
    }

    private Path at(String path) {
        Path p = path.isEmpty() ? root : root.resolve(path).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException(path + " is outside " + root); // checked names never get here
        }
        return p;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Optional<NfsAttributes> lstat(String path) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(at(path), "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new NfsAttributes((Integer) a.get("mode"), (Integer) a.get("uid"), (Integer) a.get("gid"),
                    (Long) a.get("size")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean mkdir(String path, int mode) throws IOException {
        try {
            Files.createDirectory(at(path));
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        chmod(path, mode);
        return true;
    }

    @Override
    public void chmod(String path, int mode) throws IOException {
        Files.setAttribute(at(path), "unix:mode", mode & 07777, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Files.move(at(from), at(to), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public boolean remove(String path, boolean directory) throws IOException {
        return Files.deleteIfExists(at(path));
    }

    @Override
    public List<NfsEntry> list(String path) throws IOException {
        List<NfsEntry> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(at(path))) {
            for (Path child : (Iterable<Path>) children::iterator) {
                BasicFileAttributes a = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                NfsEntry.Kind kind = a.isDirectory() ? NfsEntry.Kind.DIRECTORY : a.isSymbolicLink() ? NfsEntry.Kind.SYMLINK
                        : a.isRegularFile() ? NfsEntry.Kind.FILE : NfsEntry.Kind.OTHER;
                entries.add(new NfsEntry(child.getFileName().toString(), kind));
            }
        }
        return entries;
    }

    @Override
    public boolean symlink(String target, String path) throws IOException {
        try {
            Files.createSymbolicLink(at(path), Path.of(target));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public String readlink(String path) throws IOException {
        return Files.readSymbolicLink(at(path)).toString();
    }

    @Override
    public void copyFile(String from, String to, int mode) throws IOException {
        Files.copy(at(from), at(to), LinkOption.NOFOLLOW_LINKS);
        chmod(to, mode);
    }

    @Override
    public NfsSpace space() throws IOException {
        FileSystemStats s = StatFs.of(root);
        return new NfsSpace(s.totalBytes(), s.freeBytes(), s.availableBytes(), s.totalInodes(), s.freeInodes());
    }
}
