package io.csi4j.driver;

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
import csi.v1.VolumeCapability.AccessMode.Mode;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.Mount;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.SyscallException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Requests and kernel checks shared by the node tests: what kubelet would send, and what the
 * machine must look like after (no mount under a test's directory, no loop device on a test's
 * data directory).
 */
final class NodeCalls {

    private NodeCalls() {}

    static VolumeCapability mount(String fsType, Mode mode, String... flags) {
        return VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType(fsType).addAllMountFlags(List.of(flags)))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode))
                .build();
    }

    static VolumeCapability mount(String fsType) {
        return mount(fsType, Mode.SINGLE_NODE_WRITER);
    }

    static VolumeCapability block() {
        return VolumeCapability.newBuilder()
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER))
                .build();
    }

    static String create(ControllerGrpc.ControllerBlockingStub controller, String name, long bytes,
                         VolumeCapability capability, Map<String, String> parameters) {
        return controller.createVolume(CreateVolumeRequest.newBuilder()
                .setName(name)
                .addVolumeCapabilities(capability)
                .putAllParameters(parameters)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
                .build()).getVolume().getVolumeId();
    }

    static void delete(ControllerGrpc.ControllerBlockingStub controller, String volumeId) {
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volumeId).build());
    }

    static void stage(NodeGrpc.NodeBlockingStub node, String volumeId, Path staging, VolumeCapability capability) {
        node.nodeStageVolume(NodeStageVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setStagingTargetPath(staging.toString())
                .setVolumeCapability(capability)
                .build());
    }

    static void unstage(NodeGrpc.NodeBlockingStub node, String volumeId, Path staging) {
        node.nodeUnstageVolume(NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId(volumeId).setStagingTargetPath(staging.toString()).build());
    }

    static NodePublishVolumeRequest.Builder publishRequest(String volumeId, Path staging, Path target,
                                                           VolumeCapability capability) {
        NodePublishVolumeRequest.Builder request = NodePublishVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setTargetPath(target.toString())
                .setVolumeCapability(capability);
        if (staging != null) {
            request.setStagingTargetPath(staging.toString());
        }
        return request;
    }

    static void publish(NodeGrpc.NodeBlockingStub node, String volumeId, Path staging, Path target,
                        VolumeCapability capability) {
        node.nodePublishVolume(publishRequest(volumeId, staging, target, capability).build());
    }

    static void unpublish(NodeGrpc.NodeBlockingStub node, String volumeId, Path target) {
        node.nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder()
                .setVolumeId(volumeId).setTargetPath(target.toString()).build());
    }

    /** The mounts at or below {@code dir}. */
    static List<MountInfo> mountsUnder(Path dir) throws IOException {
        return MountTable.read().under(dir);
    }

    /** The loop devices whose image lies under {@code dir}. */
    static List<LoopDevice> loopsUnder(Path dir) throws IOException {
        List<LoopDevice> found = new ArrayList<>();
        for (LoopDevice device : LoopDevice.attached()) {
            if (device.backingFile().filter(file -> file.startsWith(dir)).isPresent()) {
                found.add(device);
            }
        }
        return found;
    }

    /**
     * Removes, behind the driver's back, every mount under {@code dir} and every loop device of
     * {@code data}: the cleanup after a failed test, and a machine restart's effect.
     */
    static void tearDown(Path dir, Path data) throws IOException {
        List<MountInfo> mounts = new ArrayList<>(mountsUnder(dir));
        for (MountInfo mount : mounts.reversed()) {
            try {
                Mount.unmount(mount.mountPoint(), true);
            } catch (SyscallException e) {
                // already gone with its parent
            }
        }
        for (LoopDevice device : loopsUnder(data)) {
            try {
                device.detach();
            } catch (SyscallException e) {
                // detached meanwhile
            }
        }
    }
}
