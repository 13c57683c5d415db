package io.csi4j.backend.nfs.volume;

import io.csi4j.spi.InvalidParameter;
import java.util.regex.Pattern;

/**
 * The checks every untrusted name passes before it reaches a path, a libnfs call or a mount
 * helper's argv. Deliberately narrow: what Kubernetes objects and ordinary exports use.
 */
public final class Names {

    /** A host name, an IPv4 address or a bracket-free IPv6 address. */
    private static final Pattern SERVER = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.:-]{0,252}[A-Za-z0-9])?");
    /** One path segment: no separators, spaces, control characters, '#' (the ID separator) or '%'. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._+@=,~-]{1,255}");
    private static final int MAX_PATH = 1024;

    private Names() {}

    public static String server(String server, String what) {
        if (!SERVER.matcher(server).matches()) {
            throw new InvalidParameter(what + " '" + printable(server) + "' is not a host name or IP address");
        }
        return server;
    }

    /** An absolute path of safe segments, without '.', '..', doubled or trailing slashes; "/" allowed. */
    public static String absolute(String path, String what) {
        if (path.equals("/")) {
            return path;
        }
        if (!path.startsWith("/")) {
            throw new InvalidParameter(what + " must be an absolute path, not '" + printable(path) + "'");
        }
        relative(path.substring(1), what);
        return path;
    }

    /** A relative path of one or more safe segments, none of them '.' or '..'. */
    public static String relative(String path, String what) {
        if (path.isEmpty() || path.length() > MAX_PATH) {
            throw new InvalidParameter(what + " must have 1 to " + MAX_PATH + " characters");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidParameter(what + " '" + printable(path) + "' must not contain '.' or '..'");
            }
            if (!SEGMENT.matcher(segment).matches()) {
                throw new InvalidParameter(what + " '" + printable(path) + "' must be segments of letters, digits "
                        + "and . _ + @ = , ~ - separated by single slashes");
            }
        }
        return path;
    }

    /** The text with control characters replaced, for a message that echoes caller input. */
    static String printable(String text) {
        String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
