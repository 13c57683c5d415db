package io.csi4j.backend.local;

import io.csi4j.spi.InvalidParameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The filesystems the local backend can make on an image, and whether this node has the tools. */
final class Mkfs {

    private static final Map<String, String> TOOLS = Map.of("ext4", "mkfs.ext4", "xfs", "mkfs.xfs");
    private static final List<Path> SBIN = List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"));

    private Mkfs() {}

    /** @throws InvalidParameter when {@code fsType} is not one we make, or its tool is missing */
    static void requireSupported(String fsType) {
        String tool = TOOLS.get(fsType);
        if (tool == null) {
            throw new InvalidParameter("filesystem type '" + fsType + "' is not supported; use ext4 or xfs");
        }
        if (SBIN.stream().noneMatch(dir -> Files.isExecutable(dir.resolve(tool)))) {
            throw new InvalidParameter("filesystem type " + fsType + " cannot be made on this node: " + tool
                    + " is not installed");
        }
    }
}
