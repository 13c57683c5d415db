package io.csi4j.server.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The plugin name reported by GetPluginInfo, which Kubernetes uses as the CSIDriver name and in
 * kubelet paths. The CSI spec bounds it: at most 63 characters, starting and ending with a letter
 * or digit, with letters, digits, '-', '_' and '.' between (a domain name is the convention).
 */
public record DriverName(String value) {

    // before DEFAULT: the constructor needs it
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    public static final DriverName DEFAULT = new DriverName("local.csi4j.io");

    public DriverName {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("the driver name must not be empty");
        }
        if (value.length() > 63) {
            throw new IllegalArgumentException("invalid driver name '" + value + "': longer than 63 characters");
        }
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid driver name '" + value + "': use letters, digits, '-', '_'"
                    + " and '.', starting and ending with a letter or digit (e.g. local.csi4j.io)");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
