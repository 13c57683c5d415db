import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.ListVolumesRequest;
import csi.v1.VolumeCapability;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Does CreateVolume+DeleteVolume cost the same with 10 and with N existing volumes? Fills a
 * serving driver with volumes and times create+delete pairs at each level, through the socket.
 *
 * <pre>java -cp "csi4j-driver/target/csi4j/lib/*" tools/CreateDeleteScaling.java unix:///path/csi.sock 10 10000</pre>
 */
public class CreateDeleteScaling {

    public static void main(String[] args) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
        ControllerGrpc.ControllerBlockingStub controller = ControllerGrpc.newBlockingStub(channel);
        int[] levels = Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray();
        VolumeCapability mount = VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                        .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
                .build();
        List<String> filler = new ArrayList<>();
        for (int level : levels) {
            while (filler.size() < level) {
                filler.add(controller.createVolume(request("fill-" + filler.size(), mount)).getVolume().getVolumeId());
            }
            int pairs = 200;
            for (int warm = 0; warm < (level == levels[0] ? 500 : 50); warm++) {
                pair(controller, mount, "warm-" + warm);
            }
            long[] nanos = new long[pairs];
            for (int i = 0; i < pairs; i++) {
                long start = System.nanoTime();
                pair(controller, mount, "probe-" + level + "-" + i);
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            long listStart = System.nanoTime();
            String token = "";
            int listed = 0;
            do {
                var page = controller.listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(500).setStartingToken(token).build());
                listed += page.getEntriesCount();
                token = page.getNextToken();
            } while (!token.isEmpty());
            System.out.printf("%6d volumes: create+delete p50 %.2f ms, p90 %.2f ms, p99 %.2f ms; full listing (%d) %.0f ms%n",
                    level, nanos[pairs / 2] / 1e6, nanos[pairs * 9 / 10] / 1e6, nanos[pairs * 99 / 100] / 1e6,
                    listed, (System.nanoTime() - listStart) / 1e6);
        }
        for (String id : filler) {
            controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        }
        channel.shutdownNow();
    }

    private static CreateVolumeRequest request(String name, VolumeCapability capability) {
        return CreateVolumeRequest.newBuilder().setName(name).addVolumeCapabilities(capability)
                .putParameters("overcommit", "true")
                .setCapacityRange(csi.v1.CapacityRange.newBuilder().setRequiredBytes(16 << 20))
                .build();
    }

    private static void pair(ControllerGrpc.ControllerBlockingStub controller, VolumeCapability capability, String name) {
        String id = controller.createVolume(request(name, capability)).getVolume().getVolumeId();
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }
}
