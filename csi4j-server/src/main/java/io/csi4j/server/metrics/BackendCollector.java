package io.csi4j.server.metrics;

import io.csi4j.spi.BackendFigures;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The backend's figures as gauges, asked for once per scrape (the backend answers from memory).
 * A figure the backend does not know is left out rather than reported as zero.
 */
final class BackendCollector implements MultiCollector {

    static final List<String> NAMES = List.of("csi4j_volumes", "csi4j_snapshots", "csi4j_volume_promised_bytes",
            "csi4j_volume_written_bytes", "csi4j_data_available_bytes", "csi4j_data_size_bytes",
            "csi4j_node_volumes_staged", "csi4j_node_volumes_published", "csi4j_volumes_abnormal",
            "csi4j_nfs_exports");

    private final Supplier<BackendFigures> figures;

    BackendCollector(Supplier<BackendFigures> figures) {
        this.figures = figures;
    }

    @Override
    public MetricSnapshots collect() {
        BackendFigures f = figures.get();
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        byLabel(out, "csi4j_volumes", "Volumes by kind", "kind", f.volumesByKind());
        byLabel(out, "csi4j_snapshots", "Snapshots by kind", "kind", f.snapshotsByKind());
        single(out, "csi4j_volume_promised_bytes", "Bytes promised to volumes (their capacities)", f.promisedBytes());
        single(out, "csi4j_volume_written_bytes", "Of the promised bytes, those volumes already wrote", f.writtenBytes());
        single(out, "csi4j_data_available_bytes", "Bytes available on the data directory's filesystem", f.availableBytes());
        single(out, "csi4j_data_size_bytes", "Size of the data directory's filesystem", f.totalBytes());
        single(out, "csi4j_node_volumes_staged", "Volumes staged on this node", f.stagedVolumes());
        single(out, "csi4j_node_volumes_published", "Volumes published on this node", f.publishedVolumes());
        byLabel(out, "csi4j_volumes_abnormal", "Volumes whose condition is abnormal, by reason", "reason",
                f.abnormalByReason());
        if (f.exportsReachable() >= 0 || f.exportsUnreachable() >= 0) {
            GaugeSnapshot.Builder exports = GaugeSnapshot.builder().name("csi4j_nfs_exports")
                    .help("NFS exports the controller works on, by whether it reaches them");
            if (f.exportsReachable() >= 0) {
                exports.dataPoint(point(f.exportsReachable(), Labels.of("state", "reachable")));
            }
            if (f.exportsUnreachable() >= 0) {
                exports.dataPoint(point(f.exportsUnreachable(), Labels.of("state", "unreachable")));
            }
            out.metricSnapshot(exports.build());
        }
        return out.build();
    }

    @Override
    public List<String> getPrometheusNames() {
        return NAMES;
    }

    private static void single(MetricSnapshots.Builder out, String name, String help, long value) {
        if (value >= 0) {
            out.metricSnapshot(GaugeSnapshot.builder().name(name).help(help).dataPoint(point(value, Labels.EMPTY)).build());
        }
    }

    private static void byLabel(MetricSnapshots.Builder out, String name, String help, String label,
                                Map<String, Long> values) {
        GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(name).help(help);
        values.forEach((key, value) -> gauge.dataPoint(point(value, Labels.of(label, key))));
        out.metricSnapshot(gauge.build());
    }

    private static GaugeDataPointSnapshot point(double value, Labels labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
    }
}
