package io.csi4j.cli.identity;

import csi.v1.IdentityGrpc;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.cli.RpcCommand;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Probe; exits 0 only when the driver is ready, so scripts can wait on it. */
@Command(name = "probe", description = "Probe: whether the driver is ready. Exit code 0 when ready, 1 otherwise.",
        mixinStandardHelpOptions = true)
public final class ProbeCommand extends RpcCommand<ProbeResponse> {

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "Keep probing until the driver is up and ready, for at most this long (default: ${DEFAULT-VALUE}).")
    double waitSeconds;

    @Override
    protected ProbeResponse call(ManagedChannel channel) {
        long deadline = System.nanoTime() + (long) (waitSeconds * 1e9);
        while (true) {
            try {
                ProbeResponse response = withDeadline(IdentityGrpc.newBlockingStub(channel))
                        .probe(ProbeRequest.getDefaultInstance());
                if (ready(response) || System.nanoTime() >= deadline) {
                    return response;
                }
            } catch (StatusRuntimeException e) {
                boolean retriable = e.getStatus().getCode() == Status.Code.UNAVAILABLE
                        || e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION;
                if (!retriable || System.nanoTime() >= deadline) {
                    throw e;
                }
            }
            pause();
            channel.resetConnectBackoff(); // retry now, not after gRPC's reconnect backoff
        }
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

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
        }
    }
}
