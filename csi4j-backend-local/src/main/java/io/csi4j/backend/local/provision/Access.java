package io.csi4j.backend.local.provision;

import io.csi4j.backend.local.volume.LocalParameters;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.Mkfs;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.VolumeCapability;
import java.util.List;

/** How a volume will be accessed, from the capabilities asked for: raw block, or a filesystem of a type. */
record Access(boolean block, String fsType) {

    static Access of(List<VolumeCapability> capabilities, VolumeType type) {
        if (capabilities.isEmpty()) {
            throw new InvalidParameter("at least one volume capability is required");
        }
        boolean block = capabilities.getFirst().isBlock();
        String fsType = null;
        for (VolumeCapability capability : capabilities) {
            if (capability.mode().multiNode()) {
                throw new InvalidParameter("local volumes live on one node: access mode " + capability.mode()
                        + " cannot be given");
            }
            if (capability.isBlock() != block) {
                throw new InvalidParameter("a volume is either a raw block device or a filesystem, not both");
            }
            if (capability.access() instanceof VolumeCapability.Mount mount && !mount.fsType().isEmpty()) {
                if (fsType != null && !fsType.equals(mount.fsType())) {
                    throw new InvalidParameter("conflicting filesystem types " + fsType + " and " + mount.fsType());
                }
                fsType = mount.fsType();
            }
        }
        return of(block, fsType, type);
    }

    /** Whether CreateVolume could make a volume with these parameters and all these capabilities. */
    static boolean servable(LocalParameters parameters, List<VolumeCapability> capabilities, CapacityEnforcer enforcer) {
        if (parameters.type() == VolumeType.DIRECTORY && parameters.enforceCapacity() && !enforcer.enforces()) {
            return false;
        }
        if (capabilities.isEmpty()) {
            return true;
        }
        try {
            of(capabilities, parameters.type());
            return true;
        } catch (InvalidParameter e) {
            return false;
        }
    }

    private static Access of(boolean block, String fsType, VolumeType type) {
        if (block && type == VolumeType.DIRECTORY) {
            throw new InvalidParameter("directory volumes give filesystem access only, not raw block");
        }
        if (block) {
            return new Access(true, "");
        }
        if (type == VolumeType.DIRECTORY) {
            if (fsType != null) {
                throw new InvalidParameter("directory volumes use the data directory's filesystem; "
                        + "fsType " + fsType + " cannot be given");
            }
            return new Access(false, "");
        }
        String fs = fsType == null ? "ext4" : fsType;
        Mkfs.unavailable(fs).ifPresent(reason -> {
            throw new InvalidParameter(reason);
        });
        return new Access(false, fs);
    }
}
