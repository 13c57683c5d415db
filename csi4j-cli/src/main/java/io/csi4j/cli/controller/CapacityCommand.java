package io.csi4j.cli.controller;

import csi.v1.ControllerGrpc;
import csi.v1.GetCapacityRequest;
import csi.v1.GetCapacityResponse;
import csi.v1.Topology;
import io.csi4j.cli.CapabilityOptions;
import io.csi4j.cli.KeyValue;
import io.csi4j.cli.KeyValues;
import io.csi4j.cli.RpcCommand;
import io.csi4j.cli.SizeFormat;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * GetCapacity: the bytes available for new volumes, optionally for given parameters, topology
 * and capability (sent only when a capability option is given).
 */
@Command(name = "capacity", description = "GetCapacity: the capacity available for new volumes.",
        mixinStandardHelpOptions = true)
public final class CapacityCommand extends RpcCommand<GetCapacityResponse> {

    @Option(names = "--param", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A creation parameter; repeatable.")
    List<KeyValue> params = new ArrayList<>();

    @Option(names = "--topology", paramLabel = "KEY=VALUE", converter = KeyValues.Plain.class,
            description = "A topology segment the volumes would be accessible from; repeatable.")
    List<KeyValue> topology = new ArrayList<>();

    @Mixin
    CapabilityOptions capability;

    /** The request the arguments describe. */
    GetCapacityRequest request() {
        GetCapacityRequest.Builder request = GetCapacityRequest.newBuilder();
        if (capability.given()) {
            request.addVolumeCapabilities(capability.capability());
        }
        try {
            request.putAllParameters(KeyValues.toMap(params, "--param"));
            if (!topology.isEmpty()) {
                request.setAccessibleTopology(Topology.newBuilder().putAllSegments(KeyValues.toMap(topology, "--topology")));
            }
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        return request.build();
    }

    @Override
    protected GetCapacityResponse call(ManagedChannel channel) {
        return withDeadline(ControllerGrpc.newBlockingStub(channel)).getCapacity(request());
    }

    @Override
    protected void printText(GetCapacityResponse response, PrintWriter out) {
        out.println("available:           " + SizeFormat.describe(response.getAvailableCapacity()));
        if (response.hasMaximumVolumeSize()) {
            out.println("maximum volume size: " + SizeFormat.describe(response.getMaximumVolumeSize().getValue()));
        }
        if (response.hasMinimumVolumeSize()) {
            out.println("minimum volume size: " + SizeFormat.describe(response.getMinimumVolumeSize().getValue()));
        }
    }
}
