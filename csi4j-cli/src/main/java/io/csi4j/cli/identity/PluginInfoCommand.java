package io.csi4j.cli.identity;

import csi.v1.GetPluginInfoRequest;
import csi.v1.GetPluginInfoResponse;
import csi.v1.IdentityGrpc;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** GetPluginInfo. */
@Command(name = "info", description = "GetPluginInfo: the driver's name, version and manifest.", mixinStandardHelpOptions = true)
public final class PluginInfoCommand extends RpcCommand<GetPluginInfoResponse> {

    @Override
    protected GetPluginInfoResponse call(ManagedChannel channel) {
        return withDeadline(IdentityGrpc.newBlockingStub(channel)).getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    }

    @Override
    protected void printText(GetPluginInfoResponse info, PrintWriter out) {
        out.println("name:    " + info.getName());
        out.println("version: " + info.getVendorVersion());
        info.getManifestMap().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> out.println("  " + e.getKey() + ": " + e.getValue()));
    }
}
