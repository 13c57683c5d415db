package io.csi4j.driver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Defaults that let a newcomer start the driver without flags: socket and data under one state
 * directory ({@code $CSI4J_STATE_DIR}, which the launcher sets to the checkout's {@code run/},
 * else {@code ./run}), the node named after the host.
 */
final class Defaults {

    private Defaults() {}

    static Path stateDir() {
        String dir = System.getenv("CSI4J_STATE_DIR");
        return Path.of(dir == null || dir.isBlank() ? "run" : dir).toAbsolutePath().normalize();
    }

    static String endpoint() {
        String env = System.getenv("CSI_ENDPOINT");
        return env == null || env.isBlank() ? "unix://" + stateDir().resolve("csi.sock") : env;
    }

    static Path dataDir() {
        return stateDir().resolve("data");
    }

    static String nodeId() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (Exception ignored) {
            // fall back to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
