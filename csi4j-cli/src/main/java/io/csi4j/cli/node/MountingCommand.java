package io.csi4j.cli.node;

import com.google.protobuf.Message;
import csi.v1.VolumeCapability;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.RpcCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What NodeStageVolume and NodePublishVolume both take: the volume, its capability (with
 * {@code --mount-group}), the volume and publish contexts a CO would pass on, and secrets.
 */
abstract class MountingCommand<R extends Message> extends RpcCommand<R> {

    @Parameters(index = "0", paramLabel = "VOLUME_ID", description = "The volume's ID.")
    String volumeId;

    @Mixin
    CapabilityOptions capability;

    @Option(names = "--mount-group", paramLabel = "GROUP",
            description = "The group the mounted volume belongs to (volume_mount_group, e.g. a pod's fsGroup).")
    String mountGroup;

    @Option(names = "--context", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "An entry of the volume context CreateVolume returned; repeatable.")
    List<KeyValue> context = new ArrayList<>();

    @Option(names = "--publish-context", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "An entry of the publish context ControllerPublishVolume returned; repeatable.")
    List<KeyValue> publishContext = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "A secret for the call; repeatable. Never printed.")
    List<KeyValue> secrets = new ArrayList<>();

    /** The capability the options describe; always sent, as both calls require one. */
    VolumeCapability volumeCapability() {
        return capability.capability(mountGroup);
    }

    /** {@code --context} as a map; a usage error for a key given twice. */
    Map<String, String> volumeContext() {
        return keyValues(context, "--context");
    }

    /** {@code --publish-context} as a map; a usage error for a key given twice. */
    Map<String, String> publishContext() {
        return keyValues(publishContext, "--publish-context");
    }

    /** {@code --secret} as a map; a usage error for a key given twice. */
    Map<String, String> secrets() {
        return keyValues(secrets, "--secret");
    }

    @Override
    protected Collection<String> secretValues() {
        return KeyValues.values(secrets);
    }
}
