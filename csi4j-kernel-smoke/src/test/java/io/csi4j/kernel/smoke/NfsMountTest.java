package io.csi4j.kernel.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel NFS client, which this machine's kernel lacks, against nfs-ganesha in the guest. */
@Tag("kernel")
class NfsMountTest {

    @BeforeAll
    static void inTheGuest() {
        Guest.require();
    }

    @Test
    void anNfs4MountOfGaneshaOnLoopbackReadsAndWrites() throws Exception {
        Path dir = Guest.workDir("nfs");
        try (Cleanup cleanup = new Cleanup()) {
            cleanup.add(() -> Guest.deleteTree(dir));
            // Ganesha's VFS FSAL needs file handles, which the 9p project share cannot give: a tmpfs
            // mounted on the export directory can.
            Path export = Files.createDirectories(dir.resolve("export"));
            Command.ok("mount", "-t", "tmpfs", "-o", "size=64m", "export", export.toString());
            cleanup.add(() -> Command.ok("umount", export.toString()));
            Path mnt = Files.createDirectories(dir.resolve("mnt"));

            int port = freePort();
            Path config = Files.writeString(dir.resolve("ganesha.conf"), """
                    NFS_CORE_PARAM {
                      Protocols = 4;
                      NFS_Port = %d;
                      Enable_NLM = false;
                      Enable_RQUOTA = false;
                      Enable_UDP = false;
                    }
                    NFSV4 {
                      Graceless = true;
                      RecoveryRoot = %s;
                    }
                    EXPORT {
                      Export_Id = 1;
                      Path = %s;
                      Pseudo = /export;
                      Access_Type = RW;
                      Squash = No_Root_Squash;
                      SecType = sys;
                      Protocols = 4;
                      Transports = TCP;
                      FSAL { Name = VFS; }
                    }
                    """.formatted(port, dir.resolve("recovery"), export));
            Path log = dir.resolve("ganesha.log");
            Process ganesha = new ProcessBuilder("ganesha.nfsd", "-F", "-f", config.toString(), "-L", log.toString(),
                    "-p", dir.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("ganesha.out").toFile())
                    .start();
            cleanup.add(() -> stop(ganesha));
            awaitListening(port, ganesha, log, Duration.ofSeconds(60));

            Command.ok("mount", "-t", "nfs4", "-o", "port=" + port, "127.0.0.1:/export", mnt.toString());
            cleanup.add(() -> Command.ok("umount", mnt.toString()));
            assertThat(Files.getFileStore(mnt).type()).startsWith("nfs4");

            Files.writeString(mnt.resolve("from-the-client.txt"), "written through NFS");
            assertThat(Files.readString(export.resolve("from-the-client.txt"))).isEqualTo("written through NFS");
            Files.writeString(export.resolve("from-the-server.txt"), "read through NFS");
            assertThat(Files.readString(mnt.resolve("from-the-server.txt"))).isEqualTo("read through NFS");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** One JVM waits on the socket: no polling loop of small processes (each costs ~40 ms here). */
    private static void awaitListening(int port, Process server, Path log, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("ganesha.nfsd is not listening on port " + port + " (alive: "
                            + server.isAlive() + "); its log:\n" + (Files.exists(log) ? Files.readString(log) : "none"));
                }
                Thread.sleep(100);
            }
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
