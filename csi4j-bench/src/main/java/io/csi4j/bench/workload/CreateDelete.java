package io.csi4j.bench.workload;

import csi.v1.Volume;
import io.csi4j.bench.run.Csi;
import io.csi4j.bench.run.Workload;

/** CreateVolume, then DeleteVolume of the same volume. */
public record CreateDelete() implements Workload {

    @Override
    public String name() {
        return "create-delete";
    }

    @Override
    public void run(Csi csi, String name, long index) {
        Volume volume = csi.createVolume(name);
        csi.deleteVolume(name, volume.getVolumeId());
    }
}
