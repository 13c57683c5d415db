package io.csi4j.bench.journal;

/**
 * Something a benchmark makes on a driver and must undo: a volume, a snapshot, a volume attached
 * to a node, staged, or published. Each is identified by what the call that undoes it needs.
 */
public sealed interface Made {

    /** The journal's word for the kind. */
    String kind();

    /** The fields that identify it, in journal order. */
    String[] fields();

    /** A volume, by the name it was created with (CreateVolume is idempotent by name). */
    record Volume(String name) implements Made {
        public String kind() {
            return "volume";
        }

        public String[] fields() {
            return new String[] {name};
        }
    }

    /** A snapshot of {@code sourceVolumeId}, by name (CreateSnapshot is idempotent by name). */
    record Snapshot(String name, String sourceVolumeId) implements Made {
        public String kind() {
            return "snapshot";
        }

        public String[] fields() {
            return new String[] {name, sourceVolumeId};
        }
    }

    /** ControllerPublishVolume of a volume to a node. */
    record Attachment(String volumeId, String nodeId) implements Made {
        public String kind() {
            return "attachment";
        }

        public String[] fields() {
            return new String[] {volumeId, nodeId};
        }
    }

    /** NodeStageVolume of a volume at a staging path. */
    record Staging(String volumeId, String path) implements Made {
        public String kind() {
            return "staging";
        }

        public String[] fields() {
            return new String[] {volumeId, path};
        }
    }

    /** NodePublishVolume of a volume at a target path. */
    record Publication(String volumeId, String path) implements Made {
        public String kind() {
            return "publication";
        }

        public String[] fields() {
            return new String[] {volumeId, path};
        }
    }

    /** The object a journal line names: {@code kind} and its fields. */
    static Made of(String kind, String[] fields) {
        return switch (kind) {
            case "volume" -> new Volume(fields[0]);
            case "snapshot" -> new Snapshot(fields[0], fields[1]);
            case "attachment" -> new Attachment(fields[0], fields[1]);
            case "staging" -> new Staging(fields[0], fields[1]);
            case "publication" -> new Publication(fields[0], fields[1]);
            default -> throw new IllegalArgumentException("unknown kind '" + kind + "'");
        };
    }

    /** How many fields a kind has. */
    static int arity(String kind) {
        return "volume".equals(kind) ? 1 : 2;
    }
}
