package io.csi4j.bench;

import csi.v1.CapacityRange;
import csi.v1.CreateVolumeRequest;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.SizeParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** What the volumes of a run look like: size, capability, parameters; and the secrets every call carries. */
final class VolumeOptions {

    @Option(names = "--size", defaultValue = "64Mi", paramLabel = "SIZE", converter = SizeParser.class,
            description = "Required capacity of each volume (default: ${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A CreateVolume parameter (as a StorageClass gives); repeatable.")
    List<KeyValue> parameters = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "A secret sent with every call that takes secrets; repeatable. Never printed or written.")
    List<KeyValue> secrets = new ArrayList<>();

    /** CreateVolumeRequest without name and secrets. */
    CreateVolumeRequest template(CapabilityOptions capability) {
        return CreateVolumeRequest.newBuilder()
                .addVolumeCapabilities(capability.capability())
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(size))
                .putAllParameters(KeyValues.toMap(parameters, "--param"))
                .build();
    }

    Map<String, String> secrets() {
        return KeyValues.toMap(secrets, "--secret");
    }
}
