package io.csi4j.server.config;

import io.csi4j.server.endpoint.Endpoint;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a driver serves: where, in which mode, under which name.
 *
 * @param socketMode    permission bits of a unix socket file, such as {@code 0660}
 * @param shutdownGrace how long in-flight calls may run on after a stop signal
 * @param manifest      extra facts for GetPluginInfo's manifest (backend, mode, ...)
 * @param nodePathRoot  when present, the directory every staging and target path must be in
 *                      (kubelet's)
 */
public record ServerConfig(Endpoint endpoint, int socketMode, Duration shutdownGrace, Mode mode,
                           DriverName driverName, String version, NodeIdentity node, Map<String, String> manifest,
                           java.util.Optional<java.nio.file.Path> nodePathRoot) {

    public ServerConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(driverName, "driverName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(node, "node");
        manifest = Map.copyOf(manifest);
        Objects.requireNonNull(nodePathRoot, "nodePathRoot");
        if (socketMode < 0 || socketMode > 0777) {
            throw new IllegalArgumentException("socket mode must be octal 0000-0777, not " + Integer.toOctalString(socketMode));
        }
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("the shutdown grace period must not be negative");
        }
    }
}
