package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.ValidateVolumeCapabilitiesResponse;
import csi.v1.VolumeCapability;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.RpcCommand;
import io.csi4j.cli.VolumeText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** ValidateVolumeCapabilities; exits 1 when the driver does not confirm, so scripts can test on it. */
@Command(name = "validate", description = "ValidateVolumeCapabilities: whether a volume supports a capability."
        + " Exit code 0 when confirmed, 1 otherwise.", mixinStandardHelpOptions = true)
public final class ValidateCommand extends RpcCommand<ValidateVolumeCapabilitiesResponse> {

    @Parameters(index = "0", paramLabel = "ID", description = "The volume's ID.")
    String volumeId;

    @Mixin
    CapabilityOptions capability;

    @Option(names = "--param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A parameter the volume was created with; repeatable.")
    List<KeyValue> params = new ArrayList<>();

    @Option(names = "--mutable-param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A mutable parameter of the volume; repeatable.")
    List<KeyValue> mutableParams = new ArrayList<>();

    @Option(names = "--context", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "An entry of the volume context CreateVolume returned; repeatable.")
    List<KeyValue> context = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "A secret for the call; repeatable. Never printed.")
    List<KeyValue> secrets = new ArrayList<>();

    /** The request the arguments describe. */
    ValidateVolumeCapabilitiesRequest request() {
        ValidateVolumeCapabilitiesRequest.Builder request = ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId(volumeId)
                .addVolumeCapabilities(capability.capability());
        try {
            request.putAllParameters(KeyValues.toMap(params, "--param"))
                    .putAllMutableParams(KeyValues.toMap(mutableParams, "--mutable-param"))
                    .putAllVolumeContext(KeyValues.toMap(context, "--context"))
                    .putAllSecrets(KeyValues.toMap(secrets, "--secret"));
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        return request.build();
    }

    @Override
    protected ValidateVolumeCapabilitiesResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).validateVolumeCapabilities(request());
    }

    @Override
    protected Collection<String> secretValues() {
        return KeyValues.values(secrets);
    }

    @Override
    protected void printText(ValidateVolumeCapabilitiesResponse response, PrintWriter out) {
        if (!response.hasConfirmed()) {
            out.println("not confirmed: " + (response.getMessage().isEmpty() ? "(no message)" : response.getMessage()));
            return;
        }
        out.println("confirmed");
        ValidateVolumeCapabilitiesResponse.Confirmed confirmed = response.getConfirmed();
        if (confirmed.getVolumeCapabilitiesCount() > 0) {
            out.println("capabilities:");
            for (VolumeCapability confirmedCapability : confirmed.getVolumeCapabilitiesList()) {
                out.println("  " + CapabilityOptions.describe(confirmedCapability));
            }
        }
        VolumeText.map(out, "context", confirmed.getVolumeContextMap());
        VolumeText.map(out, "parameters", confirmed.getParametersMap());
        VolumeText.map(out, "mutable parameters", confirmed.getMutableParamsMap());
    }

    @Override
    protected int exitCode(ValidateVolumeCapabilitiesResponse response) {
        return response.hasConfirmed() ? 0 : CALL_FAILED;
    }
}
