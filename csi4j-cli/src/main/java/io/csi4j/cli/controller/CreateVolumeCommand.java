package io.csi4j.cli.controller;

import csi.v1.CapacityRange;
import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.CreateVolumeResponse;
import csi.v1.Topology;
import csi.v1.TopologyRequirement;
import csi.v1.VolumeContentSource;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.RpcCommand;
import io.csi4j.cli.SizeParser;
import io.csi4j.cli.VolumeText;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** CreateVolume: provisions a volume by name, with size, parameters, capability, topology and content source. */
@Command(name = "create-volume", description = "CreateVolume: provision a volume (idempotent by NAME).",
        mixinStandardHelpOptions = true)
public final class CreateVolumeCommand extends RpcCommand<CreateVolumeResponse> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The volume's name, the key of idempotency.")
    String name;

    @Option(names = "--size", paramLabel = "SIZE", converter = SizeParser.class,
            description = "Required bytes: 1000, 10G, 1Gi, 512Mi, ...")
    Long size;

    @Option(names = "--limit", paramLabel = "SIZE", converter = SizeParser.class,
            description = "The most bytes the volume may have.")
    Long limit;

    @Option(names = "--param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A creation parameter; repeatable.")
    List<KeyValue> params = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "KEY=VALUE", converter = KeyValues.Secret.class,
            description = "A secret for the call; repeatable. Never printed.")
    List<KeyValue> secrets = new ArrayList<>();

    @Option(names = "--mutable-param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A mutable parameter; repeatable.")
    List<KeyValue> mutableParams = new ArrayList<>();

    @Mixin
    CapabilityOptions capability;

    @Option(names = "--requisite", paramLabel = "KEY=VALUE[,KEY=VALUE]", converter = KeyValues.TopologyConverter.class,
            description = "A topology the volume must be accessible from (one of them); repeatable.")
    List<Topology> requisite = new ArrayList<>();

    @Option(names = "--preferred", paramLabel = "KEY=VALUE[,KEY=VALUE]", converter = KeyValues.TopologyConverter.class,
            description = "A topology to prefer, in order; repeatable.")
    List<Topology> preferred = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    /** {@code --from-snapshot ID} or {@code --from-volume ID}, never both. */
    static final class Source {
        @Option(names = "--from-snapshot", paramLabel = "ID", description = "Fill the volume from this snapshot.")
        String snapshotId;

        @Option(names = "--from-volume", paramLabel = "ID", description = "Clone this volume.")
        String volumeId;
    }

    /** The request the arguments describe. */
    CreateVolumeRequest request() {
        CreateVolumeRequest.Builder request = CreateVolumeRequest.newBuilder()
                .setName(name)
                .addVolumeCapabilities(capability.capability());
        if (size != null || limit != null) {
            if (size != null && limit != null && limit != 0 && limit < size) {
                throw usageError("--limit (" + limit + ") is smaller than --size (" + size + ")");
            }
            CapacityRange.Builder range = CapacityRange.newBuilder();
            if (size != null) {
                range.setRequiredBytes(size);
            }
            if (limit != null) {
                range.setLimitBytes(limit);
            }
            request.setCapacityRange(range);
        }
        try {
            request.putAllParameters(KeyValues.toMap(params, "--param"))
                    .putAllSecrets(KeyValues.toMap(secrets, "--secret"))
                    .putAllMutableParams(KeyValues.toMap(mutableParams, "--mutable-param"));
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        if (!requisite.isEmpty() || !preferred.isEmpty()) {
            request.setAccessibilityRequirements(TopologyRequirement.newBuilder()
                    .addAllRequisite(requisite).addAllPreferred(preferred));
        }
        if (source != null) {
            VolumeContentSource.Builder content = VolumeContentSource.newBuilder();
            if (source.snapshotId != null) {
                content.setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId(source.snapshotId));
            } else {
                content.setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(source.volumeId));
            }
            request.setVolumeContentSource(content);
        }
        return request.build();
    }

    @Override
    protected CreateVolumeResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).createVolume(request());
    }

    @Override
    protected Collection<String> secretValues() {
        return KeyValues.values(secrets);
    }

    @Override
    protected void printText(CreateVolumeResponse response, PrintWriter out) {
        VolumeText.volume(response.getVolume(), out);
    }
}
