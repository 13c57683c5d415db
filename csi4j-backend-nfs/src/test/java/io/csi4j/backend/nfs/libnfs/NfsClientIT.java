package io.csi4j.backend.nfs.libnfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.testing.NfsServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libnfs through FFM against a real nfs-ganesha on 127.0.0.1: every call the controller uses. */
class NfsClientIT {

    @TempDir
    static Path dir;
    static NfsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = NfsServer.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static NfsClient connect() throws NfsException {
        return NfsClient.connect(new NfsExport(server.host(), server.share(), server.nfsPort(), server.mountPort()),
                Duration.ofSeconds(10));
    }

    @Test
    void directoriesAreMadeChmodedRenamedListedAndRemovedWithoutAMount() throws Exception {
        try (NfsClient nfs = connect()) {
            nfs.mkdir("/made", 0750);
            Path made = server.exportDir().resolve("made");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwxr-x---");
            nfs.chmod("/made", 0777);
            assertThat(nfs.lstat("/made")).hasValueSatisfying(a -> {
                assertThat(a.directory()).isTrue();
                assertThat(a.permissions()).isEqualTo(0777);
            });
            Files.writeString(made.resolve("f"), "x");
            assertThat(nfs.list("/made")).containsExactly(new NfsEntry("f", NfsEntry.Kind.FILE));
            nfs.rename("/made", "/renamed");
            assertThat(made).doesNotExist();
            assertThat(nfs.lstat("/made")).isEmpty();
            nfs.unlink("/renamed/f");
            nfs.rmdir("/renamed");
            assertThat(server.exportDir().resolve("renamed")).doesNotExist();
        }
    }

    @Test
    void aSecondMkdirSaysItExists() throws Exception {
        try (NfsClient nfs = connect()) {
            nfs.mkdir("/twice", 0755);
            assertThatThrownBy(() -> nfs.mkdir("/twice", 0755))
                    .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.errno()).isEqualTo(NfsException.EEXIST));
            nfs.rmdir("/twice");
        }
    }

    @Test
    void filesAndSymlinksAreCopiedThroughTheClient() throws Exception {
        Path src = Files.createDirectories(server.exportDir().resolve("src"));
        byte[] data = new byte[3 << 20];
        new java.util.Random(7).nextBytes(data);
        Files.write(src.resolve("big"), data);
        try (NfsClient nfs = connect()) {
            nfs.copyFile("/src/big", "/src/copy", 0640);
            nfs.symlink("big", "/src/link");
            assertThat(nfs.readlink("/src/link")).isEqualTo("big");
        }
        assertThat(Files.readAllBytes(src.resolve("copy"))).isEqualTo(data);
        assertThat(Files.readSymbolicLink(src.resolve("link"))).isEqualTo(Path.of("big"));
    }

    @Test
    void statvfsReportsTheExportedFilesystem() throws Exception {
        try (NfsClient nfs = connect()) {
            NfsSpace space = nfs.statvfs("/");
            var store = Files.getFileStore(server.exportDir());
            assertThat(space.totalBytes()).isEqualTo(store.getTotalSpace());
            assertThat(space.availableBytes()).isPositive().isLessThanOrEqualTo(space.totalBytes());
        }
    }

    @Test
    void aMissingExportIsNotFoundOrDenied() {
        assertThatThrownBy(() -> NfsClient.connect(new NfsExport(server.host(), "/no/such/export", server.nfsPort(),
                server.mountPort()), Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.errno())
                        .isIn(NfsException.ENOENT, NfsException.EACCES, NfsException.EPERM));
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        // Accepts connections and never replies: a server that hangs, as a black-holed one does.
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> NfsClient.connect(new NfsExport("127.0.0.1", "/x", silent.getLocalPort(),
                    silent.getLocalPort()), Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(NfsException.class, e -> assertThat(e.errno()).as(e.getMessage())
                            .isEqualTo(NfsException.ETIMEDOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        }
    }
}
