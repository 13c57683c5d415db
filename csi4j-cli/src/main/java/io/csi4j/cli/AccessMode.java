package io.csi4j.cli;

import csi.v1.VolumeCapability;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** The {@code --access-mode} names ({@code single-node-writer}, ...) and the CSI access modes they stand for. */
public enum AccessMode {
    SINGLE_NODE_WRITER(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER),
    SINGLE_NODE_READER_ONLY(VolumeCapability.AccessMode.Mode.SINGLE_NODE_READER_ONLY),
    MULTI_NODE_READER_ONLY(VolumeCapability.AccessMode.Mode.MULTI_NODE_READER_ONLY),
    MULTI_NODE_SINGLE_WRITER(VolumeCapability.AccessMode.Mode.MULTI_NODE_SINGLE_WRITER),
    MULTI_NODE_MULTI_WRITER(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER),
    SINGLE_NODE_SINGLE_WRITER(VolumeCapability.AccessMode.Mode.SINGLE_NODE_SINGLE_WRITER),
    SINGLE_NODE_MULTI_WRITER(VolumeCapability.AccessMode.Mode.SINGLE_NODE_MULTI_WRITER);

    private final VolumeCapability.AccessMode.Mode mode;

    AccessMode(VolumeCapability.AccessMode.Mode mode) {
        this.mode = mode;
    }

    /** The CSI mode. */
    public VolumeCapability.AccessMode.Mode mode() {
        return mode;
    }

    /** The command-line name, e.g. {@code single-node-writer}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The command-line name of a CSI mode, or the protocol's name for one this client does not know. */
    public static String cliName(VolumeCapability.AccessMode.Mode mode) {
        for (AccessMode known : values()) {
            if (known.mode == mode) {
                return known.cliName();
            }
        }
        return mode.name();
    }

    /** The mode named {@code name} ({@code single-node-writer} or {@code SINGLE_NODE_WRITER}). */
    public static AccessMode parse(String name) {
        for (AccessMode known : values()) {
            if (known.cliName().equalsIgnoreCase(name) || known.name().equalsIgnoreCase(name)) {
                return known;
            }
        }
        throw new IllegalArgumentException("unknown access mode '" + name + "'; use one of: " + String.join(", ", new Names()));
    }

    /** Converter of {@code --access-mode}. */
    public static final class Converter implements ITypeConverter<AccessMode> {
        @Override
        public AccessMode convert(String value) {
            return Conversions.converted(AccessMode::parse, value);
        }
    }

    /** The command-line names, for picocli's {@code ${COMPLETION-CANDIDATES}}. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = new ArrayList<>();
            for (AccessMode mode : values()) {
                names.add(mode.cliName());
            }
            return names.iterator();
        }
    }
}
