package io.csi4j.server.node;

import io.csi4j.server.status.StatusMapper;
import io.csi4j.spi.VolumeNotFound;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checks every staging and target path from the CO passes before it reaches a backend:
 * absolute, already normalised (so no {@code ..} and no {@code .}), free of control characters,
 * and, when a root is configured (the kubelet directory), inside it.
 */
public record NodePaths(Optional<Path> root) {

    /** Linux's PATH_MAX, terminating NUL included. */
    private static final int MAX_PATH = 4095;

    public NodePaths {
        root.ifPresent(r -> {
            if (!r.isAbsolute() || !r.equals(r.normalize())) {
                throw new IllegalArgumentException("the node path root must be an absolute, normalised path: " + r);
            }
        });
    }

    /**
     * {@code raw} as a path, from the request field {@code field}.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT saying what is wrong
     */
    public Path check(String raw, String field) {
        StatusMapper.required(raw, field);
        return parse(raw).orElseThrow(() -> StatusMapper.invalidArgument(field + problem(raw)));
    }

    /**
     * The {@code volume_path} of NodeGetVolumeStats or NodeExpandVolume. The spec's error for it is
     * "volume does not exist on the specified volume_path", and a path that fails these checks is
     * one no volume can be staged or published at (stage and publish refuse it), so it is
     * NOT_FOUND rather than INVALID_ARGUMENT, as csi-sanity expects for {@code some/path}. Only an
     * empty one is a missing field.
     *
     * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT when {@code raw} is empty
     * @throws VolumeNotFound                 when no volume can be at {@code raw}
     */
    public Path volumePath(String raw, String volumeId) {
        StatusMapper.required(raw, "volume_path");
        return parse(raw).orElseThrow(() -> new VolumeNotFound(
                "volume " + volumeId + " is not staged or published there: volume_path" + problem(raw)));
    }

    /** {@code raw} as a path when it passes every check. */
    private Optional<Path> parse(String raw) {
        return problem(raw).isEmpty() ? Optional.of(Path.of(raw)) : Optional.empty();
    }

    /** What is wrong with a non-empty {@code raw}, worded to follow the field's name; "" when nothing. */
    private String problem(String raw) {
        if (raw.length() > MAX_PATH) {
            return " is longer than " + MAX_PATH + " characters";
        }
        if (raw.chars().anyMatch(Character::isISOControl)) {
            return " contains control characters";
        }
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            return " is not a valid path: " + e.getReason();
        }
        if (!path.isAbsolute()) {
            return " must be an absolute path: " + raw;
        }
        // Path.of drops a trailing slash and doubled slashes; "." and ".." it keeps, normalize() does not.
        if (!path.equals(path.normalize())) {
            return " must be a normalised path without '.' or '..': " + raw;
        }
        if (path.getNameCount() == 0) {
            return " must not be the root directory";
        }
        if (root.isPresent() && (!path.startsWith(root.get()) || path.equals(root.get()))) {
            return " must be inside " + root.get() + ": " + raw;
        }
        return "";
    }
}
