package io.csi4j.cli;

import csi.v1.VolumeCapability;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options that describe one volume capability, shared by every command that sends one:
 * {@code --fs TYPE | --block}, {@code --mount-flag} and {@code --access-mode}. Without them the
 * capability is a mount volume with an empty fs_type, written by a single node.
 */
public final class CapabilityOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    AccessType accessType;

    @Option(names = "--mount-flag", paramLabel = "FLAG", description = "A mount flag of a mount volume; repeatable.")
    List<String> mountFlags = new ArrayList<>();

    @Option(names = "--access-mode", paramLabel = "MODE", converter = AccessMode.Converter.class,
            completionCandidates = AccessMode.Names.class,
            description = "Access mode: ${COMPLETION-CANDIDATES} (default: single-node-writer).")
    AccessMode accessMode;

    /** {@code --fs TYPE} or {@code --block}, never both. */
    static final class AccessType {
        @Option(names = "--fs", paramLabel = "TYPE", description = "A mount volume with this file system type.")
        String fsType;

        @Option(names = "--block", description = "A raw block volume instead of a mount volume.")
        boolean block;
    }

    /** Whether any of these options was given. */
    public boolean given() {
        return accessType != null || !mountFlags.isEmpty() || accessMode != null;
    }

    /** The capability the options describe; a usage error for mount flags on a block volume. */
    public VolumeCapability capability() {
        return capability(null);
    }

    /**
     * The capability the options describe, its mount volume in group {@code volumeMountGroup}
     * (the node calls' {@code --mount-group}; null for none); a usage error for mount flags or a
     * group on a block volume.
     */
    public VolumeCapability capability(String volumeMountGroup) {
        VolumeCapability.Builder capability = VolumeCapability.newBuilder()
                .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                        .setMode((accessMode == null ? AccessMode.SINGLE_NODE_WRITER : accessMode).mode()));
        if (accessType != null && accessType.block) {
            if (!mountFlags.isEmpty()) {
                throw new ParameterException(mixee.commandLine(), "--mount-flag applies to mount volumes, not to --block");
            }
            if (volumeMountGroup != null) {
                throw new ParameterException(mixee.commandLine(), "--mount-group applies to mount volumes, not to --block");
            }
            capability.setBlock(VolumeCapability.BlockVolume.getDefaultInstance());
        } else {
            VolumeCapability.MountVolume.Builder mount = VolumeCapability.MountVolume.newBuilder()
                    .setFsType(accessType == null || accessType.fsType == null ? "" : accessType.fsType)
                    .addAllMountFlags(mountFlags);
            if (volumeMountGroup != null) {
                mount.setVolumeMountGroup(volumeMountGroup);
            }
            capability.setMount(mount);
        }
        return capability.build();
    }

    /** A capability in one line: {@code mount fs=ext4 flags=noatime single-node-writer}, {@code block ...}. */
    public static String describe(VolumeCapability capability) {
        StringBuilder text = new StringBuilder();
        switch (capability.getAccessTypeCase()) {
            case BLOCK -> text.append("block");
            case MOUNT -> {
                text.append("mount");
                VolumeCapability.MountVolume mount = capability.getMount();
                if (!mount.getFsType().isEmpty()) {
                    text.append(" fs=").append(mount.getFsType());
                }
                if (mount.getMountFlagsCount() > 0) {
                    text.append(" flags=").append(String.join(",", mount.getMountFlagsList()));
                }
                if (!mount.getVolumeMountGroup().isEmpty()) {
                    text.append(" group=").append(mount.getVolumeMountGroup());
                }
            }
            case ACCESSTYPE_NOT_SET -> text.append("(no access type)");
        }
        if (capability.hasAccessMode()) {
            text.append(' ').append(AccessMode.cliName(capability.getAccessMode().getMode()));
        }
        return text.toString();
    }
}
