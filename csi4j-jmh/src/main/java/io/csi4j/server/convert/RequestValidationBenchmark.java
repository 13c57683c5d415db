package io.csi4j.server.convert;

import csi.v1.CapacityRange;
import csi.v1.CreateVolumeRequest;
import csi.v1.Topology;
import csi.v1.TopologyRequirement;
import csi.v1.VolumeCapability;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What every CreateVolume pays before the backend sees it: a request as the external-provisioner
 * sends it, checked and turned into SPI values (capabilities, capacity range, topology).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestValidationBenchmark {

    private final CreateVolumeRequest request = CreateVolumeRequest.newBuilder()
            .setName("pvc-0b6a1f0e-3a5c-4d0b-9a59-3d2f1c4e5a6b")
            .addVolumeCapabilities(VolumeCapability.newBuilder()
                    .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4").addMountFlags("noatime"))
                    .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                            .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
            .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1L << 30))
            .setAccessibilityRequirements(TopologyRequirement.newBuilder()
                    .addRequisite(Topology.newBuilder().putSegments("topology.csi4j.io/node", "node-1"))
                    .addPreferred(Topology.newBuilder().putSegments("topology.csi4j.io/node", "node-1")))
            .putParameters("type", "image")
            .putParameters("csi.storage.k8s.io/pvc/name", "data")
            .build();

    @Benchmark
    public void createVolumeRequest(Blackhole out) {
        out.consume(Protos.capabilities(request.getVolumeCapabilitiesList(), "volume_capabilities"));
        out.consume(Protos.capacityRange(request.getCapacityRange()));
        out.consume(Protos.topology(request.getAccessibilityRequirements()));
    }
}
