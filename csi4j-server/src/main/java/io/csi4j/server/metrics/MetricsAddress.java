package io.csi4j.server.metrics;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** {@code --metrics-address}: {@code HOST:PORT}, {@code [IPv6]:PORT}, or a port alone (then on 127.0.0.1). */
public final class MetricsAddress {

    private MetricsAddress() {}

    /** @throws IllegalArgumentException saying what is wrong with {@code text} */
    public static InetSocketAddress parse(String text) {
        String host = "127.0.0.1";
        String port = text;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw bad(text, "write an IPv6 address in brackets, like [::1]:9808");
            }
            if (host.isEmpty()) {
                throw bad(text, "the host is missing (0.0.0.0 for every interface)");
            }
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            throw bad(text, "the port must be a number from 0 to 65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(port));
        } catch (UnknownHostException e) {
            throw bad(text, "unknown host '" + host + "'");
        }
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("--metrics-address must be HOST:PORT or PORT, not '" + text + "': " + why);
    }
}
