package io.csi4j.server.node;

import io.csi4j.server.status.StatusMapper;
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
        if (raw.isEmpty()) {
            throw StatusMapper.invalidArgument(field + " is required");
        }
        if (raw.length() > MAX_PATH) {
            throw StatusMapper.invalidArgument(field + " is longer than " + MAX_PATH + " characters");
        }
        if (raw.chars().anyMatch(Character::isISOControl)) {
            throw StatusMapper.invalidArgument(field + " contains control characters");
        }
        Path path;
        try {
            path = Path.of(raw);
        } catch (InvalidPathException e) {
            throw StatusMapper.invalidArgument(field + " is not a valid path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            throw StatusMapper.invalidArgument(field + " must be an absolute path: " + raw);
        }
        // Path.of drops a trailing slash and doubled slashes; "." and ".." it keeps, normalize() does not.
        if (!path.equals(path.normalize())) {
            throw StatusMapper.invalidArgument(field + " must be a normalised path without '.' or '..': " + raw);
        }
        if (path.getNameCount() == 0) {
            throw StatusMapper.invalidArgument(field + " must not be the root directory");
        }
        root.ifPresent(r -> {
            if (!path.startsWith(r) || path.equals(r)) {
                throw StatusMapper.invalidArgument(field + " must be inside " + r + ": " + raw);
            }
        });
        return path;
    }
}
