import csi.v1.CapacityRange;
import csi.v1.ControllerGrpc;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteSnapshotRequest;
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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

/**
 * How long CreateSnapshot takes for image volumes holding real data, through a serving driver's
 * socket: for each size, a volume is made, mounted, filled to 90 % with non-zero data,
 * unmounted, then snapshotted ROUNDS times (each snapshot deleted after). With --cp, the same
 * image is also copied with {@code cp --sparse=always} ROUNDS times, for the MiB/s of both. The
 * page cache is dropped before each timed copy, so both read from the disk.
 *
 * <pre>java -cp "csi4j-driver/target/csi4j/lib/*" tools/SnapshotTiming.java unix:///path/csi.sock DATA_DIR WORK_DIR ROUNDS [--cp] SIZE_MIB...</pre>
 * (the driver must take node paths in WORK_DIR: csi4j's {@code serve --kubelet-dir} a directory holding it)
 */
public class SnapshotTiming {

    public static void main(String[] args) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(args[0], InsecureChannelCredentials.create()).build();
        ControllerGrpc.ControllerBlockingStub controller = ControllerGrpc.newBlockingStub(channel);
        NodeGrpc.NodeBlockingStub node = NodeGrpc.newBlockingStub(channel);
        Path data = Path.of(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        int rounds = Integer.parseInt(args[3]);
        boolean cp = args[4].equals("--cp");
        VolumeCapability ext4 = VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                        .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
                .build();
        for (int a = cp ? 5 : 4; a < args.length; a++) {
            long bytes = Long.parseLong(args[a]) << 20;
            String id = controller.createVolume(CreateVolumeRequest.newBuilder().setName("timing-" + args[a])
                    .addVolumeCapabilities(ext4).setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
                    .build()).getVolume().getVolumeId();
            String staging = work.resolve("staging").toString();
            Path target = work.resolve("target");
            node.nodeStageVolume(NodeStageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging)
                    .setVolumeCapability(ext4).build());
            node.nodePublishVolume(NodePublishVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging)
                    .setTargetPath(target.toString()).setVolumeCapability(ext4).build());
            fill(target.resolve("data"), bytes * 9 / 10 - (8L << 20));
            node.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id)
                    .setTargetPath(target.toString()).build());
            node.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder().setVolumeId(id)
                    .setStagingTargetPath(staging).build());

            long[] snapshot = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                dropCaches();
                long start = System.nanoTime();
                String snap = controller.createSnapshot(CreateSnapshotRequest.newBuilder()
                        .setName("timing-" + args[a] + "-" + i).setSourceVolumeId(id).build()).getSnapshot().getSnapshotId();
                snapshot[i] = System.nanoTime() - start;
                controller.deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snap).build());
            }
            report(args[a] + " MiB CreateSnapshot", snapshot, bytes);
            if (cp) {
                Path image = data.resolve("volumes").resolve(id.substring(3, 35) + ".img");
                Path copy = data.resolve("cp-copy.img");
                long[] copies = new long[rounds];
                for (int i = 0; i < rounds; i++) {
                    dropCaches();
                    long start = System.nanoTime();
                    Process p = new ProcessBuilder("cp", "--sparse=always", image.toString(), copy.toString())
                            .inheritIO().start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("cp failed");
                    }
                    Process sync = new ProcessBuilder("sync", "-f", copy.toString()).inheritIO().start();
                    sync.waitFor();
                    copies[i] = System.nanoTime() - start;
                    Files.delete(copy);
                }
                report(args[a] + " MiB cp --sparse=always+sync", copies, bytes);
            }
            controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
        }
        channel.shutdownNow();
    }

    /** Both copies start from a cold page cache, so neither reads what the other just read. */
    private static void dropCaches() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
        } catch (java.io.IOException e) {
            System.err.println("cannot drop the page cache (" + e.getMessage() + "): copies may read cached data");
        }
    }

    private static void fill(Path file, long bytes) throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            for (long done = 0; done < bytes; done += block.length) {
                block[0]++; // no two blocks alike
                out.write(block);
            }
        }
    }

    private static void report(String what, long[] nanos, long bytes) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double p50 = sorted[sorted.length / 2] / 1e6;
        System.out.printf("%-36s p50 %9.1f ms  min %9.1f ms  max %9.1f ms  (%.0f MiB/s of volume size)%n", what, p50,
                sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6, (bytes / (double) (1 << 20)) / (p50 / 1000));
    }
}
