import csi.v1.CapacityRange;
import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.VolumeCapability;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One full life of a 64 MiB ext4 image volume (create, stage, publish, unpublish, unstage,
 * delete) through a serving driver's socket, next to the same steps done with the shell tools
 * (truncate, mkfs.ext4, losetup, mount, mount --bind, umount, losetup -d, rm), alternating, in
 * one run. Prints p50 and p90 of each. Needs root, and a driver that takes node paths in WORK_DIR
 * (csi4j: {@code serve --kubelet-dir WORK_DIR}).
 *
 * <pre>java -cp "csi4j-driver/target/csi4j/lib/*" tools/NodeLifecycle.java unix:///path/csi.sock WORK_DIR ROUNDS</pre>
 */
public class NodeLifecycle {

    private static final long SIZE = 64L << 20;

    public static void main(String[] args) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
        ControllerGrpc.ControllerBlockingStub controller = ControllerGrpc.newBlockingStub(channel);
        NodeGrpc.NodeBlockingStub node = NodeGrpc.newBlockingStub(channel);
        Path work = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Files.createDirectories(work);
        VolumeCapability ext4 = VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                        .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
                .build();
        for (int warm = 0; warm < 3; warm++) {
            csi4j(controller, node, ext4, work, "warm-" + warm);
            shell(work);
        }
        long[] driver = new long[rounds];
        long[] tools = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            csi4j(controller, node, ext4, work, "round-" + i);
            driver[i] = System.nanoTime() - start;
            start = System.nanoTime();
            shell(work);
            tools[i] = System.nanoTime() - start;
        }
        report("csi4j through the socket", driver);
        report("shell tools", tools);
        channel.shutdownNow();
    }

    private static void csi4j(ControllerGrpc.ControllerBlockingStub controller, NodeGrpc.NodeBlockingStub node,
                              VolumeCapability capability, Path work, String name) {
        String id = controller.createVolume(CreateVolumeRequest.newBuilder().setName(name)
                .addVolumeCapabilities(capability)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(SIZE)).build())
                .getVolume().getVolumeId();
        String staging = work.resolve("csi-staging").toString();
        String target = work.resolve("csi-target").toString();
        node.nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging)
                .setVolumeCapability(capability).build());
        node.nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging)
                .setTargetPath(target).setVolumeCapability(capability).build());
        node.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target).build());
        node.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging).build());
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }

    private static void shell(Path work) throws Exception {
        String image = work.resolve("shell.img").toString();
        String staging = work.resolve("shell-staging").toString();
        String target = work.resolve("shell-target").toString();
        run("truncate", "-s", Long.toString(SIZE), image);
        run("mkfs.ext4", "-q", "-F", image);
        String device = run("losetup", "-f", "--show", image).strip();
        run("mkdir", "-p", staging, target);
        run("mount", "-t", "ext4", device, staging);
        run("mount", "--bind", staging, target);
        run("umount", target);
        run("umount", staging);
        run("losetup", "-d", device);
        run("rm", "-f", image);
    }

    private static String run(String... argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + output);
        }
        return output;
    }

    private static void report(String what, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%-26s p50 %7.1f ms   p90 %7.1f ms   (%d rounds)%n", what,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.9)] / 1e6, sorted.length);
    }
}
