package io.csi4j.cli.identity;

import csi.v1.IdentityGrpc;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** Probe; exits 0 only when the driver is ready, so scripts can wait on it. */
@Command(name = "probe", description = "Probe: whether the driver is ready. Exit code 0 when ready, 1 otherwise.",
        mixinStandardHelpOptions = true)
public final class ProbeCommand extends RpcCommand<ProbeResponse> {

    @Override
    protected ProbeResponse call(ManagedChannel channel) {
        return withDeadline(IdentityGrpc.newBlockingStub(channel)).probe(ProbeRequest.getDefaultInstance());
    }

    @Override
    protected void printText(ProbeResponse response, PrintWriter out) {
        out.println(ready(response) ? "ready" : "not ready");
    }

    @Override
    protected int exitCode(ProbeResponse response) {
        return ready(response) ? 0 : CALL_FAILED;
    }

    // The spec lets a plugin leave "ready" unset, which means ready.
    private static boolean ready(ProbeResponse response) {
        return !response.hasReady() || response.getReady().getValue();
    }
}
