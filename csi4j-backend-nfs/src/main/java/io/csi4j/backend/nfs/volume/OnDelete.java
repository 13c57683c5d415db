package io.csi4j.backend.nfs.volume;

import io.csi4j.spi.InvalidParameter;
import java.util.Locale;

/** What DeleteVolume does with the subdirectory (StorageClass parameter {@code onDelete}). */
public enum OnDelete {
    /** Removes it with everything in it. */
    DELETE,
    /** Leaves it as it is. */
    RETAIN,
    /** Renames it to {@code archived-<name>-<UTC time>} beside where it was. */
    ARCHIVE;

    public static OnDelete parse(String text) {
        return switch (text) {
            case "delete" -> DELETE;
            case "retain" -> RETAIN;
            case "archive" -> ARCHIVE;
            default -> throw new InvalidParameter("onDelete must be delete, retain or archive, not '" + text + "'");
        };
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
