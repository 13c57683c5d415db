package io.csi4j.testing;

import csi.v1.ControllerGrpc;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGrpc;
import csi.v1.ProbeRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A csi4j driver running in its own JVM, started the way an operator starts it (the same main
 * class and flags), with the test's class path. Output (stdout and stderr) is collected for
 * assertions about logging.
 */
public final class DriverProcess implements AutoCloseable {

    /** The driver's entry point; named, not referenced, so this module needs no dependency on it. */
    public static final String MAIN_CLASS = "io.csi4j.driver.Csi4j";

    private final Process process;
    private final Path socket;
    private final StringBuffer output = new StringBuffer();
    private final Thread pump;
    private ManagedChannel channel;

    private DriverProcess(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
        this.pump = Thread.ofPlatform().daemon().name("driver-output").start(() -> copy(process.getInputStream()));
    }

    /** Starts {@code csi4j <args>} and returns at once; see {@link #awaitReady}. */
    public static DriverProcess start(Path socket, List<String> args) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new DriverProcess(process, socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The system property that names the driver's class path when this JVM's is not it (the JUnit
     * console launcher in the kernel-test guest runs tests from a class path of its own).
     */
    public static final String CLASS_PATH_PROPERTY = "csi4j.driver.classpath";

    /** The JVM command that runs the driver's main class with this JVM's class path (or {@link #CLASS_PATH_PROPERTY}). */
    public static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty(CLASS_PATH_PROPERTY, System.getProperty("java.class.path")), MAIN_CLASS);
    }

    /** Runs {@code csi4j <args>} to completion and returns its exit code and output. */
    public static Result run(List<String> args, Duration timeout) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            process.getOutputStream().close();
            var stdout = new java.io.ByteArrayOutputStream();
            var stderr = new java.io.ByteArrayOutputStream();
            Thread out = Thread.ofPlatform().start(() -> transfer(process.getInputStream(), stdout));
            Thread err = Thread.ofPlatform().start(() -> transfer(process.getErrorStream(), stderr));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("csi4j " + String.join(" ", args) + " did not finish within " + timeout);
            }
            out.join();
            err.join();
            return new Result(process.exitValue(), stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The outcome of a finished csi4j command. */
    public record Result(int exitCode, String stdout, String stderr) {}

    /**
     * Waits until the driver answers Probe on its socket (whatever the answer), or fails with the
     * driver's output when it exits or does not come up in time.
     */
    public DriverProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the driver exited with " + process.exitValue() + ":\n" + output());
            }
            if (socket.toFile().exists()) {
                try {
                    identity().withDeadlineAfter(2, TimeUnit.SECONDS).probe(ProbeRequest.getDefaultInstance());
                    return this;
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) {
                        return this; // it answered: serving
                    }
                }
            }
            sleep(50);
        }
        throw new AssertionError("the driver did not serve " + socket + " within " + timeout + ":\n" + output());
    }

    public synchronized ManagedChannel channel() {
        if (channel == null) {
            channel = Grpc.newChannelBuilder("unix://" + socket, InsecureChannelCredentials.create()).build();
        }
        return channel;
    }

    public IdentityGrpc.IdentityBlockingStub identity() {
        return IdentityGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public ControllerGrpc.ControllerBlockingStub controller() {
        return ControllerGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public NodeGrpc.NodeBlockingStub node() {
        return NodeGrpc.newBlockingStub(channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public Path socket() {
        return socket;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the driver printed so far. */
    public String output() {
        return output.toString();
    }

    /** Sends SIGTERM and returns the exit code once the driver has exited. */
    public int terminate(Duration timeout) {
        closeChannel();
        process.destroy(); // SIGTERM on Linux
        return awaitExit(timeout);
    }

    /** Waits for the driver to exit on its own and returns the exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("the driver did not exit within " + timeout + ":\n" + output());
            }
            pump.join(timeout.toMillis());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Kills the driver at once, as a crash would: no cleanup runs. */
    public void kill() {
        closeChannel();
        try {
            process.destroyForcibly().waitFor();
            pump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the driver and every process it started (mkfs, e2fsck, ...) at once, as the end of its
     * container does; {@link #kill()} alone leaves a running tool to finish its work.
     */
    public void killWithChildren() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        kill();
        for (ProcessHandle child : children) {
            child.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                terminate(Duration.ofSeconds(30));
            } catch (AssertionError e) {
                kill();
            }
        }
        closeChannel();
    }

    private synchronized void closeChannel() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }

    private void copy(InputStream in) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static void transfer(InputStream in, java.io.OutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
