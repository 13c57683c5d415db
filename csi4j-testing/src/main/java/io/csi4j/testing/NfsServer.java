package io.csi4j.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real NFS server for a test: Debian's nfs-ganesha (VFS FSAL) on 127.0.0.1, NFSv3 and NFSv4 over
 * TCP, exporting {@code dir/export} read-write without root squashing, on ports of its own (free
 * ones, so tests and other users of the machine do not clash). The export is reachable as
 * {@link #share()} under both versions (the NFSv4 pseudo path equals the real one).
 *
 * <p>Ganesha will not start NFSv3 unless it can register with the portmapper, so when nothing
 * answers on 127.0.0.1:111 an rpcbind is started for the test too, and stopped with the server.
 * Config, log, pid file and recovery directory all live under {@code dir}. {@link #close()} stops
 * both, also after a failed test.
 */
public final class NfsServer implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(60);

    private final Path dir;
    private final Path export;
    private final int nfsPort;
    private final int mountPort;
    private final Process rpcbind;
    private Process ganesha;

    private final boolean nfs3;

    private NfsServer(Path dir, Path export, int nfsPort, int mountPort, Process rpcbind, boolean nfs3) {
        this.nfs3 = nfs3;
        this.dir = dir;
        this.export = export;
        this.nfsPort = nfsPort;
        this.mountPort = mountPort;
        this.rpcbind = rpcbind;
    }

    /** Starts a server exporting {@code dir/export} (created) over NFSv3 and NFSv4, and waits until it answers. */
    public static NfsServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, true);
    }

    /** Like {@link #start(Path)}; without {@code nfs3}, a server that speaks only NFSv4 (as some cloud file services). */
    public static NfsServer start(Path dir, boolean nfs3) throws IOException, InterruptedException {
        Path export = Files.createDirectories(dir.resolve("export"));
        Files.createDirectories(dir.resolve("recovery"));
        Process rpcbind = !nfs3 || listening(111) ? null : startRpcbind();
        NfsServer server = new NfsServer(dir, export, freePort(), freePort(), rpcbind, nfs3);
        try {
            Files.writeString(dir.resolve("ganesha.conf"), server.config());
            server.startGanesha();
            return server;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** The exported directory, as seen on this machine. */
    public Path exportDir() {
        return export;
    }

    /** The export's path as clients name it (NFSv3 and NFSv4 alike). */
    public String share() {
        return export.toString();
    }

    public String host() {
        return "127.0.0.1";
    }

    public int nfsPort() {
        return nfsPort;
    }

    public int mountPort() {
        return mountPort;
    }

    /** Stops the server (clients keep their mounts, which go stale or hang as after a crash). */
    public void stop() throws InterruptedException {
        if (ganesha != null) {
            stop(ganesha);
            ganesha = null;
        }
    }

    /** Starts it again on the same ports, after {@link #stop()}. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startGanesha();
    }

    @Override
    public void close() {
        try {
            stop();
            if (rpcbind != null) {
                stop(rpcbind);
            }
        } catch (InterruptedException e) {
            ganesha.destroyForcibly();
            if (rpcbind != null) {
                rpcbind.destroyForcibly();
            }
            Thread.currentThread().interrupt();
        }
    }

    private String config() {
        return """
                NFS_CORE_PARAM {
                  Protocols = %s;
                  NFS_Port = %d;
                  MNT_Port = %d;
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
                  Pseudo = %s;
                  Access_Type = RW;
                  Squash = No_Root_Squash;
                  SecType = sys;
                  Protocols = %s;
                  Transports = TCP;
                  FSAL { Name = VFS; }
                }
                """.formatted(versions(), nfsPort, mountPort, dir.resolve("recovery"), export, export, versions());
    }

    private String versions() {
        return nfs3 ? "3, 4" : "4";
    }

    private void startGanesha() throws IOException, InterruptedException {
        Path log = dir.resolve("ganesha.log");
        ganesha = new ProcessBuilder(List.of("ganesha.nfsd", "-F", "-f", dir.resolve("ganesha.conf").toString(),
                "-L", log.toString(), "-p", dir.resolve("ganesha.pid").toString(), "-N", "NIV_EVENT"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("ganesha.out").toFile()))
                .start();
        long deadline = System.nanoTime() + START.toNanos();
        while (!listening(nfsPort) || nfs3 && !listening(mountPort)) {
            if (!ganesha.isAlive() || System.nanoTime() > deadline) {
                String text = Files.exists(log) ? Files.readString(log) : "no log";
                stop();
                throw new IllegalStateException("ganesha.nfsd did not start on ports " + nfsPort + "/" + mountPort
                        + "; its log:\n" + text);
            }
            Thread.sleep(20);
        }
    }

    private static Process startRpcbind() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("rpcbind", "-f", "-w").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + START.toNanos();
        while (!listening(111)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                stop(p);
                throw new IllegalStateException("rpcbind did not start (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
            }
            Thread.sleep(20);
        }
        return p;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
