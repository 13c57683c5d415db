package io.csi4j.server.endpoint;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file a unix socket lives in. Netty deletes whatever is at the path before it binds, which
 * would silently take over the socket of a driver that is still running; so before binding we
 * look: a live listener makes us refuse, a stale socket file is removed, anything else is left
 * alone and refused. Netty also deletes whatever is at the path when it closes, even a socket a
 * newer driver made after ours was removed; so the server binds at a private {@link #stagingPath}
 * and {@link #publish}es the socket under its real name, which Netty then never touches.
 */
public final class SocketFile {

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketFile() {}

    /**
     * Checks that a socket can be created at {@code path} and removes a stale socket file there.
     *
     * @throws IllegalArgumentException when the directory is missing or not writable, or the path
     *                                  holds something that is not a stale socket
     */
    public static void prepare(Path path) throws IOException {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the socket directory does not exist: " + dir);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalArgumentException("the socket directory is not writable: " + dir);
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IllegalArgumentException(path + " exists and is not a socket; refusing to replace it");
        }
        if (isServed(path)) {
            throw new IllegalArgumentException("another process is serving " + path
                    + "; stop it first or choose another --endpoint");
        }
        try {
            Files.delete(path);
        } catch (NoSuchFileException raced) {
            // another starter removed it first: fine
        }
    }

    /**
     * An unused hidden name in the directory of {@code path}, no longer than its file name (so it
     * fits a socket address wherever {@code path} does), to bind at before {@link #publish}.
     */
    public static Path stagingPath(Path path) {
        int length = Math.clamp(path.getFileName().toString().getBytes(StandardCharsets.UTF_8).length - 1, 1, 16);
        while (true) {
            String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(16 - length);
            Path staged = path.resolveSibling("." + random);
            if (!Files.exists(staged, LinkOption.NOFOLLOW_LINKS)) {
                return staged;
            }
        }
    }

    /**
     * Gives the socket bound at {@code staged} its real name {@code path} (a hard link, so it is
     * the same socket) and removes the staging name. Never replaces anything at {@code path}.
     *
     * @throws IllegalArgumentException when something appeared at {@code path} since {@link #prepare}
     */
    public static void publish(Path staged, Path path) throws IOException {
        try {
            Files.createLink(path, staged);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("another process created " + path
                    + " while this one was starting; stop it first or choose another --endpoint");
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /**
     * Whether some process accepts connections on the socket at {@code path}. Only a refused
     * connection proves the file stale; any other failure (no permission, ...) leaves it in doubt.
     *
     * @throws IllegalArgumentException when it cannot be told
     */
    public static boolean isServed(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            return true;
        } catch (java.net.ConnectException refused) {
            return false; // ECONNREFUSED: nobody listens, the file is stale
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot tell whether another process serves " + path + ": "
                    + e.getMessage() + "; refusing to replace it");
        }
    }

    /** Sets the socket's permission bits, e.g. {@code 0660}. */
    public static void setMode(Path path, int mode) throws IOException {
        Files.setPosixFilePermissions(path, permissions(mode));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }
}
