package io.csi4j.server.endpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A listening address parsed from the {@code --endpoint} flag. */
public sealed interface Endpoint {

    /** A unix domain socket at an absolute path. */
    record Unix(Path path) implements Endpoint {
        // sun_path is 108 bytes including the terminating NUL
        static final int MAX_PATH_BYTES = 107;

        public Unix {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("the socket path must be absolute: " + path);
            }
            path = path.normalize();
            if (path.getFileName() == null) {
                throw new IllegalArgumentException("the socket path must name a file, not the root directory: " + path);
            }
            if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
                throw new IllegalArgumentException("the socket path is longer than the " + MAX_PATH_BYTES
                        + " bytes a unix socket allows: " + path);
            }
        }

        @Override
        public String toString() {
            return "unix://" + path;
        }
    }

    /** A TCP address; meant for tests and debugging, since CSI runs over unix sockets. */
    record Tcp(String host, int port) implements Endpoint {
        public Tcp {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("a tcp endpoint needs a host: tcp://HOST:PORT");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range 0-65535: " + port);
            }
        }

        @Override
        public String toString() {
            return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Parses {@code unix:///abs/path}, a bare absolute path (as the Kubernetes sidecars accept),
     * or {@code tcp://host:port}.
     *
     * @throws IllegalArgumentException with a message fit to show the user
     */
    static Endpoint parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the endpoint is empty; use unix:///abs/path or tcp://host:port");
        }
        if (text.startsWith("unix://")) {
            String path = text.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("unix endpoints need an absolute path, as in unix:///run/csi/csi.sock: "
                        + text);
            }
            return new Unix(Path.of(path));
        }
        if (text.startsWith("/")) {
            return new Unix(Path.of(text));
        }
        if (text.startsWith("tcp://")) {
            String address = text.substring("tcp://".length());
            int colon = address.lastIndexOf(':');
            if (colon < 0 || colon < address.lastIndexOf(']')) { // no colon outside an [ipv6] host
                throw new IllegalArgumentException("a tcp endpoint needs a port: tcp://HOST:PORT, not " + text);
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return new Tcp(host, Integer.parseInt(address.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a port number in " + text);
            }
        }
        int scheme = text.indexOf("://");
        throw new IllegalArgumentException(scheme > 0
                ? "unknown endpoint scheme '" + text.substring(0, scheme) + "'; use unix:///abs/path or tcp://host:port"
                : "not an endpoint: '" + text + "'; use unix:///abs/path or tcp://host:port");
    }
}
