package io.csi4j.cli;

import java.io.PrintWriter;
import java.util.List;

/** The text form of a service's capabilities, shared by the identity, controller, node and group commands. */
public final class CapabilityText {

    /** What a capability of a kind this client does not know is shown as. */
    public static final String UNKNOWN = "(unknown capability)";

    private CapabilityText() {}

    /** One capability a line, or {@code (none)}. */
    public static void print(List<String> capabilities, PrintWriter out) {
        if (capabilities.isEmpty()) {
            out.println("(none)");
        }
        capabilities.forEach(out::println);
    }
}
