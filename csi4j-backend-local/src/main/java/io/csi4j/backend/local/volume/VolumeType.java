package io.csi4j.backend.local.volume;

import io.csi4j.spi.InvalidParameter;

/** The two kinds of local volume, chosen by the StorageClass parameter {@code type}. */
public enum VolumeType {
    /** A sparse image file, used through a loop device as a filesystem or a raw block device. */
    IMAGE("image"),
    /** A directory, filesystem access only. */
    DIRECTORY("directory");

    private final String parameterValue;

    VolumeType(String parameterValue) {
        this.parameterValue = parameterValue;
    }

    public String parameterValue() {
        return parameterValue;
    }

    public static VolumeType fromParameter(String value) {
        for (VolumeType type : values()) {
            if (type.parameterValue.equals(value)) {
                return type;
            }
        }
        throw new InvalidParameter("unknown volume type '" + value + "': use \"image\" or \"directory\"");
    }
}
