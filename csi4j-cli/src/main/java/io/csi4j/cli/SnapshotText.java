package io.csi4j.cli;

import com.google.protobuf.Timestamp;
import csi.v1.Snapshot;
import csi.v1.VolumeGroupSnapshot;
import java.io.PrintWriter;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The text form of snapshots and group snapshots, shared by the controller and group commands. */
public final class SnapshotText {

    /** The label column, wide enough for {@code group snapshot id: }. */
    private static final int WIDTH = 19;

    private SnapshotText() {}

    /** Id, source volume, size, creation time, readiness and group, one field a line. */
    public static void snapshot(Snapshot snapshot, PrintWriter out) {
        VolumeText.field(out, WIDTH, "snapshot id", snapshot.getSnapshotId());
        VolumeText.field(out, WIDTH, "source volume", snapshot.getSourceVolumeId());
        VolumeText.field(out, WIDTH, "size", VolumeText.capacity(snapshot.getSizeBytes()));
        VolumeText.field(out, WIDTH, "created", snapshot.hasCreationTime() ? time(snapshot.getCreationTime()) : "unknown");
        VolumeText.field(out, WIDTH, "ready to use", yesNo(snapshot.getReadyToUse()));
        if (!snapshot.getGroupSnapshotId().isEmpty()) {
            VolumeText.field(out, WIDTH, "group snapshot id", snapshot.getGroupSnapshotId());
        }
    }

    /** Id, creation time and readiness of a group snapshot, then a table of its member snapshots. */
    public static void groupSnapshot(VolumeGroupSnapshot group, PrintWriter out) {
        VolumeText.field(out, WIDTH, "group snapshot id", group.getGroupSnapshotId());
        VolumeText.field(out, WIDTH, "created", group.hasCreationTime() ? time(group.getCreationTime()) : "unknown");
        VolumeText.field(out, WIDTH, "ready to use", yesNo(group.getReadyToUse()));
        if (group.getSnapshotsCount() == 0) {
            VolumeText.field(out, WIDTH, "snapshots", "(none)");
            return;
        }
        out.println("snapshots:");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("snapshot id", "source volume", "size"));
        for (Snapshot snapshot : group.getSnapshotsList()) {
            rows.add(List.of(snapshot.getSnapshotId(), snapshot.getSourceVolumeId(), VolumeText.capacity(snapshot.getSizeBytes())));
        }
        TextTable.print(rows, "  ", out);
    }

    /** A table of snapshots, a row each: id, source volume, size, creation time, readiness, and group when any has one. */
    public static void table(List<Snapshot> snapshots, PrintWriter out) {
        boolean groups = snapshots.stream().anyMatch(s -> !s.getGroupSnapshotId().isEmpty());
        List<List<String>> rows = new ArrayList<>();
        rows.add(row(groups, "snapshot id", "source volume", "size", "created", "ready", "group snapshot id"));
        for (Snapshot snapshot : snapshots) {
            rows.add(row(groups, snapshot.getSnapshotId(), snapshot.getSourceVolumeId(),
                    VolumeText.capacity(snapshot.getSizeBytes()),
                    snapshot.hasCreationTime() ? time(snapshot.getCreationTime()) : "unknown",
                    yesNo(snapshot.getReadyToUse()), snapshot.getGroupSnapshotId()));
        }
        TextTable.print(rows, "", out);
    }

    private static List<String> row(boolean withGroup, String... cells) {
        List<String> row = List.of(cells);
        return withGroup ? row : row.subList(0, cells.length - 1);
    }

    /** A protobuf timestamp in ISO-8601, UTC: {@code 2025-01-02T03:04:05Z}, with fractions of a second when it has them. */
    public static String time(Timestamp timestamp) {
        try {
            return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
        } catch (DateTimeException | ArithmeticException e) {
            return "(invalid: " + timestamp.getSeconds() + "s " + timestamp.getNanos() + "ns)";
        }
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
