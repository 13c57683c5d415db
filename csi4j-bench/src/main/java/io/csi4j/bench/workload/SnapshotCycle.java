package io.csi4j.bench.workload;

import csi.v1.Snapshot;
import io.csi4j.bench.journal.Made;
import io.csi4j.bench.run.Csi;
import io.csi4j.bench.run.Runner;
import io.csi4j.bench.run.Workload;

/** CreateSnapshot, then DeleteSnapshot, of one volume that the setup creates. */
public final class SnapshotCycle implements Workload {

    private volatile String sourceVolumeId;

    @Override
    public String name() {
        return "snapshot";
    }

    @Override
    public void prepare(Csi csi, Runner runner, String names) {
        sourceVolumeId = csi.createVolume(names + "source").getVolumeId();
    }

    @Override
    public void run(Csi csi, String name, long index) {
        Snapshot snapshot = csi.createSnapshot(name, sourceVolumeId);
        csi.deleteSnapshot(new Made.Snapshot(name, sourceVolumeId), snapshot.getSnapshotId());
    }
}
