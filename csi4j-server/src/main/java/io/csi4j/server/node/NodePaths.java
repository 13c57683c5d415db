package io.csi4j.server.node;

import io.csi4j.server.status.StatusMapper;
import io.csi4j.spi.VolumeNotFound;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checks every staging and target path from the CO passes before it reaches a backend:
 * absolute, already normalised (so no {@code ..} and no {@code .}), free of control characters,
 * and, when a root is configured (the kubelet directory), inside it.
 *
 * <p>The root is the operator's configuration and trusted as it is named: when it is, or passes
 * through, a symbolic link ({@code /var/lib/kubelet -> /data/kubelet}), a path inside it is
 * rewritten to the same path under the root's real location (a lexical swap of that prefix only)
 * before it reaches a backend, which then takes the rest without following any link. The real
 * location is resolved at each call, so a kubelet directory made after the driver started (or
 * moved since) is seen; a path already under the real location passes as it is.
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
        Optional<Path> real = realRoot();
        return parse(raw, real).orElseThrow(() -> StatusMapper.invalidArgument(field + problem(raw, real)));
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
        Optional<Path> real = realRoot();
        return parse(raw, real).orElseThrow(() -> new VolumeNotFound(
                "volume " + volumeId + " is not staged or published there: volume_path" + problem(raw, real)));
    }

    /** {@code raw} as a path when it passes every check, moved from the root as named to its real location. */
    private Optional<Path> parse(String raw, Optional<Path> real) {
        if (!problem(raw, real).isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(raw);
        if (root.isPresent() && path.startsWith(root.get())) {
            return Optional.of(real.orElseThrow().resolve(root.get().relativize(path)));
        }
        return Optional.of(path);
    }

    /** Where the root really is, links resolved; for a root not there (yet), its nearest existing ancestor's. */
    private Optional<Path> realRoot() {
        return root.map(NodePaths::realLocation);
    }

    static Path realLocation(Path dir) {
        for (Path existing = dir; existing != null; existing = existing.getParent()) {
            try {
                return existing.toRealPath().resolve(existing.relativize(dir));
            } catch (IOException e) {
                // not there (or not reachable): try the one above
            }
        }
        return dir;
    }

    /** What is wrong with a non-empty {@code raw}, worded to follow the field's name; "" when nothing. */
    private String problem(String raw, Optional<Path> real) {
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
        if (root.isPresent() && !strictlyInside(path, root.get()) && !strictlyInside(path, real.orElseThrow())) {
            return " must be inside " + root.get() + ": " + raw;
        }
        return "";
    }

    private static boolean strictlyInside(Path path, Path dir) {
        return path.startsWith(dir) && !path.equals(dir);
    }
}
