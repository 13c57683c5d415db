package io.csi4j.backend.local.node;

import io.csi4j.backend.local.volume.LocalVolumeId;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * What this node has done with one volume: where it is staged and how, and where it is
 * published. Written before the kernel is changed (an intent), so that after a crash the next
 * call knows what may need repairing or undoing; the kernel's state (mount table, loop devices)
 * decides what actually is.
 *
 * @param ephemeralId  the CO's ID of an ephemeral inline volume, or "" for a provisioned one
 * @param staging      where it is staged, if it is
 * @param block        staged as a raw block device (else as a filesystem)
 * @param mode         the access mode it was staged with
 * @param mountFlags   the mount flags it was staged with
 * @param publications where it is published
 */
record NodeState(String uuid, String volumeId, String ephemeralId, Optional<Path> staging, boolean block,
                 String mode, List<String> mountFlags, List<Publication> publications) {

    /**
     * One publication.
     *
     * @param device for a read-only block publication, the read-only loop device made for it; else -1
     */
    record Publication(Path target, boolean readOnly, boolean block, String mode, List<String> mountFlags,
                       int device) {
        Publication {
            Objects.requireNonNull(target, "target");
            mountFlags = List.copyOf(mountFlags);
        }
    }

    NodeState {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(ephemeralId, "ephemeralId");
        Objects.requireNonNull(staging, "staging");
        Objects.requireNonNull(mode, "mode");
        mountFlags = List.copyOf(mountFlags);
        publications = List.copyOf(publications);
    }

    static NodeState fresh(LocalVolumeId id, String ephemeralId) {
        return new NodeState(id.uuid(), id.toString(), ephemeralId, Optional.empty(), false, "", List.of(), List.of());
    }

    NodeState staged(Path path, boolean asBlock, String asMode, List<String> flags) {
        return new NodeState(uuid, volumeId, ephemeralId, Optional.of(path), asBlock, asMode, flags, publications);
    }

    NodeState unstaged() {
        return new NodeState(uuid, volumeId, ephemeralId, Optional.empty(), false, "", List.of(), publications);
    }

    Optional<Publication> publication(Path target) {
        return publications.stream().filter(p -> p.target().equals(target)).findFirst();
    }

    NodeState with(Publication publication) {
        List<Publication> more = new ArrayList<>(without(publication.target()).publications());
        more.add(publication);
        return new NodeState(uuid, volumeId, ephemeralId, staging, block, mode, mountFlags, more);
    }

    NodeState without(Path target) {
        List<Publication> fewer = publications.stream().filter(p -> !p.target().equals(target)).toList();
        return new NodeState(uuid, volumeId, ephemeralId, staging, block, mode, mountFlags, fewer);
    }

    /** Nothing staged and nothing published: the state can go. */
    boolean idle() {
        return staging.isEmpty() && publications.isEmpty();
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("uuid", uuid);
        p.setProperty("volume", volumeId);
        p.setProperty("ephemeral", ephemeralId);
        staging.ifPresent(path -> p.setProperty("staging", path.toString()));
        p.setProperty("block", Boolean.toString(block));
        p.setProperty("mode", mode);
        putList(p, "flag.", mountFlags);
        for (int i = 0; i < publications.size(); i++) {
            Publication pub = publications.get(i);
            String key = "target." + i + ".";
            p.setProperty(key + "path", pub.target().toString());
            p.setProperty(key + "readonly", Boolean.toString(pub.readOnly()));
            p.setProperty(key + "block", Boolean.toString(pub.block()));
            p.setProperty(key + "mode", pub.mode());
            p.setProperty(key + "device", Integer.toString(pub.device()));
            putList(p, key + "flag.", pub.mountFlags());
        }
        return p;
    }

    static NodeState fromProperties(Properties p) {
        if (!"1".equals(p.getProperty("format"))) {
            throw new IllegalArgumentException("unknown node state format " + p.getProperty("format"));
        }
        List<Publication> publications = new ArrayList<>();
        for (int i = 0; p.getProperty("target." + i + ".path") != null; i++) {
            String key = "target." + i + ".";
            publications.add(new Publication(Path.of(p.getProperty(key + "path")),
                    Boolean.parseBoolean(p.getProperty(key + "readonly")), Boolean.parseBoolean(p.getProperty(key + "block")),
                    p.getProperty(key + "mode", ""), getList(p, key + "flag."),
                    Integer.parseInt(p.getProperty(key + "device", "-1"))));
        }
        return new NodeState(required(p, "uuid"), required(p, "volume"), p.getProperty("ephemeral", ""),
                Optional.ofNullable(p.getProperty("staging")).map(Path::of),
                Boolean.parseBoolean(p.getProperty("block")), p.getProperty("mode", ""), getList(p, "flag."),
                publications);
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("node state lacks " + key);
        }
        return value;
    }

    private static void putList(Properties p, String prefix, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            p.setProperty(prefix + i, values.get(i));
        }
    }

    private static List<String> getList(Properties p, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 0; p.getProperty(prefix + i) != null; i++) {
            values.add(p.getProperty(prefix + i));
        }
        return values;
    }
}
