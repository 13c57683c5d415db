package io.csi4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.VolumeCapability;
import org.junit.jupiter.api.Test;

/** CapabilityOptions: the one-line description of a capability. */
class CapabilityOptionsTest {

    @Test
    void describesMountAndBlockCapabilities() {
        VolumeCapability mount = VolumeCapability.newBuilder()
                .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4").addMountFlags("noatime").addMountFlags("nodev"))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
                .build();
        VolumeCapability block = VolumeCapability.newBuilder()
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER))
                .build();

        assertThat(CapabilityOptions.describe(mount)).isEqualTo("mount fs=ext4 flags=noatime,nodev single-node-writer");
        assertThat(CapabilityOptions.describe(block)).isEqualTo("block multi-node-multi-writer");
        assertThat(CapabilityOptions.describe(VolumeCapability.getDefaultInstance())).isEqualTo("(no access type)");
    }
}
