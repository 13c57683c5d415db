package io.csi4j.cli;

import csi.v1.Topology;
import csi.v1.Volume;
import csi.v1.VolumeCondition;
import csi.v1.VolumeContentSource;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The text form of volumes and their parts, shared by the controller and node commands. */
public final class VolumeText {

    private VolumeText() {}

    /** {@code label:} padded to a column, then {@code value}. */
    public static void field(PrintWriter out, String label, String value) {
        field(out, 11, label, value);
    }

    /** {@code label:} padded to {@code width} characters, then {@code value}. */
    public static void field(PrintWriter out, int width, String label, String value) {
        out.println(String.format("%-" + width + "s%s", label + ":", value));
    }

    /** Id, capacity, content source, context and topology, one field a line. */
    public static void volume(Volume volume, PrintWriter out) {
        field(out, "volume id", volume.getVolumeId());
        field(out, "capacity", capacity(volume.getCapacityBytes()));
        if (volume.hasContentSource()) {
            field(out, "source", source(volume.getContentSource()));
        }
        map(out, "context", volume.getVolumeContextMap());
        topologies(out, "topology", volume.getAccessibleTopologyList());
    }

    /** A volume's capacity; CSI's 0 means the driver does not know it. */
    public static String capacity(long bytes) {
        return bytes == 0 ? "unknown" : SizeFormat.describe(bytes);
    }

    /** {@code label:} then {@code   key: value} lines sorted by key; nothing when the map is empty. */
    public static void map(PrintWriter out, String label, Map<String, String> map) {
        if (map.isEmpty()) {
            return;
        }
        out.println(label + ":");
        map.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.println("  " + e.getKey() + ": " + e.getValue()));
    }

    /** {@code label:} then one {@code   key=value,key=value} line per topology; nothing when there are none. */
    public static void topologies(PrintWriter out, String label, List<Topology> topologies) {
        if (topologies.isEmpty()) {
            return;
        }
        out.println(label + ":");
        topologies.forEach(t -> out.println("  " + topology(t)));
    }

    /** A topology's segments sorted by key: {@code rack=r1,zone=a}. */
    public static String topology(Topology topology) {
        return topology.getSegmentsMap().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** {@code snapshot ID} or {@code volume ID}. */
    public static String source(VolumeContentSource source) {
        return switch (source.getTypeCase()) {
            case SNAPSHOT -> "snapshot " + source.getSnapshot().getSnapshotId();
            case VOLUME -> "volume " + source.getVolume().getVolumeId();
            case TYPE_NOT_SET -> "(unknown)";
        };
    }

    /** {@code ok} or {@code abnormal}, with the driver's message when it gave one. */
    public static String condition(VolumeCondition condition) {
        String state = condition.getAbnormal() ? "abnormal" : "ok";
        return condition.getMessage().isEmpty() ? state : state + ": " + condition.getMessage();
    }
}
