package io.csi4j.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SocketFileTest {

    @TempDir
    Path dir;

    /** A socket file nobody serves: a closed JDK unix server channel leaves its file behind. */
    private static void staleSocketAt(Path path) throws IOException {
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(path).exists();
    }

    private static ServerSocketChannel liveSocketAt(Path path) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(path));
        return channel;
    }

    @Test
    void aStaleSocketFileIsRemoved() throws IOException {
        Path socket = dir.resolve("csi.sock");
        staleSocketAt(socket);

        SocketFile.prepare(socket);

        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aSocketSomeProcessServesIsRefusedAndLeftInPlace() throws IOException {
        Path socket = dir.resolve("csi.sock");
        try (ServerSocketChannel live = liveSocketAt(socket)) {
            Object before = Files.readAttributes(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino");

            assertThatThrownBy(() -> SocketFile.prepare(socket))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("another process is serving " + socket + "; stop it first or choose another --endpoint");

            assertThat(Files.readAttributes(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS).get("ino")).isEqualTo(before);
            assertThat(SocketFile.isServed(socket)).isTrue();
        }
    }

    @Test
    void aRegularFileAtThePathIsRefusedAndLeftUntouched() throws IOException {
        Path file = dir.resolve("csi.sock");
        Files.writeString(file, "not a socket");

        assertThatThrownBy(() -> SocketFile.prepare(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " exists and is not a socket; refusing to replace it");

        assertThat(Files.readString(file)).isEqualTo("not a socket");
    }

    @Test
    void aDirectoryAtThePathIsRefusedAndLeftUntouched() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("csi.sock"));
        Files.writeString(directory.resolve("keep"), "kept");

        assertThatThrownBy(() -> SocketFile.prepare(directory))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(directory + " exists and is not a socket; refusing to replace it");

        assertThat(Files.readString(directory.resolve("keep"))).isEqualTo("kept");
    }

    @Test
    void aSymlinkToAStaleSocketIsNotFollowedNorRemoved() throws IOException {
        Path target = dir.resolve("real.sock");
        staleSocketAt(target);
        Path link = Files.createSymbolicLink(dir.resolve("csi.sock"), target);

        assertThatThrownBy(() -> SocketFile.prepare(link))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(link + " exists and is not a socket; refusing to replace it");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(target).exists();
    }

    @Test
    void aMissingDirectoryIsRefused() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> SocketFile.prepare(missing.resolve("csi.sock")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the socket directory does not exist: " + missing);

        assertThat(missing).doesNotExist();
    }

    @Test
    void aFreePathIsAcceptedAndNothingIsCreated() throws IOException {
        Path socket = dir.resolve("csi.sock");

        SocketFile.prepare(socket);

        assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }

    @Test
    void isServedTellsALiveSocketFromAStaleOneAndFromNothing() throws IOException {
        Path stale = dir.resolve("stale.sock");
        staleSocketAt(stale);
        Path live = dir.resolve("live.sock");
        try (ServerSocketChannel ignored = liveSocketAt(live)) {
            assertThat(SocketFile.isServed(live)).isTrue();
            assertThat(SocketFile.isServed(stale)).isFalse();
            assertThat(SocketFile.isServed(dir.resolve("none.sock"))).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"csi.sock", "s", "a-rather-long-socket-file-name.sock"})
    void theStagingPathIsAFreeHiddenSiblingThatFitsWhereThePathFits(String name) {
        Path path = dir.resolve(name);

        Path staged = SocketFile.stagingPath(path);

        assertThat(staged.getParent()).isEqualTo(dir);
        assertThat(staged.getFileName().toString()).matches("\\.[0-9a-f]{1,16}");
        assertThat(staged.getFileName().toString().length()).isLessThanOrEqualTo(Math.max(2, name.length()));
        assertThat(staged).doesNotExist();
        // Random: a short name leaves few choices, so two draws may meet; twenty all alike would not.
        assertThat(java.util.stream.Stream.generate(() -> SocketFile.stagingPath(path)).limit(20).distinct().count())
                .isGreaterThan(1);
    }

    @Test
    void publishGivesTheBoundSocketItsNameAndDropsTheStagingName() throws IOException {
        Path staged = dir.resolve(".staged");
        Path socket = dir.resolve("csi.sock");
        try (ServerSocketChannel live = liveSocketAt(staged)) {
            Object inode = Files.getAttribute(staged, "unix:ino", LinkOption.NOFOLLOW_LINKS);

            SocketFile.publish(staged, socket);

            assertThat(Files.exists(staged, LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(Files.getAttribute(socket, "unix:ino", LinkOption.NOFOLLOW_LINKS)).isEqualTo(inode);
            assertThat(SocketFile.isServed(socket)).isTrue();
        }
    }

    @Test
    void publishNeverReplacesWhatAppearedAtThePath() throws IOException {
        Path staged = dir.resolve(".staged");
        Path socket = dir.resolve("csi.sock");
        Files.writeString(socket, "someone else's");
        try (ServerSocketChannel live = liveSocketAt(staged)) {
            assertThatThrownBy(() -> SocketFile.publish(staged, socket))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("another process created " + socket
                            + " while this one was starting; stop it first or choose another --endpoint");
        }

        assertThat(Files.readString(socket)).isEqualTo("someone else's");
        assertThat(Files.exists(staged, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0660, rw-rw----",
        "0600, rw-------",
        "0640, rw-r-----",
        "0755, rwxr-xr-x",
        "0777, rwxrwxrwx",
        "0421, r---w---x",
        "0000, ---------",
    })
    void permissionsFollowTheOctalMode(String octal, String expected) {
        assertThat(PosixFilePermissions.toString(SocketFile.permissions(Integer.parseInt(octal, 8))))
                .isEqualTo(expected);
    }

    @Test
    void setModeChangesTheBitsOfARealFile() throws IOException {
        Path file = Files.createFile(dir.resolve("f"));

        SocketFile.setMode(file, 0640);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");

        SocketFile.setMode(file, 0600);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void setModeWorksOnASocketFile() throws IOException {
        Path socket = dir.resolve("csi.sock");
        staleSocketAt(socket);

        SocketFile.setMode(socket, 0660);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-rw----");
    }
}
