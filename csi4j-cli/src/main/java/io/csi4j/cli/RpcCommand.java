package io.csi4j.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * One CSI call from the command line. The endpoint comes from the root command's
 * {@code --endpoint}; the response is printed as text or JSON; a gRPC error is printed as
 * {@code CODE: message} on stderr with exit code 1.
 */
public abstract class RpcCommand<R extends Message> implements Callable<Integer> {

    /** Exit code of a call that reached the driver and failed, or a driver that said "not ready". */
    public static final int CALL_FAILED = 1;

    /** How a response is shown. */
    public enum Output { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, defaultValue = "text", description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Output output;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Deadline of the call in seconds (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** Makes the call on {@code channel}. */
    protected abstract R call(ManagedChannel channel);

    /** Prints the response for a person to read. */
    protected abstract void printText(R response, PrintWriter out);

    /** The exit code for a response that arrived; non-zero when it says something is wrong. */
    protected int exitCode(R response) {
        return 0;
    }

    /**
     * Values that must never be printed, such as those of {@code --secret}: they are masked in
     * error messages even when a driver echoes them back.
     */
    protected Collection<String> secretValues() {
        return List.of();
    }

    /** A usage error (exit code 2 under picocli's default handler) for a bad combination of arguments. */
    protected ParameterException usageError(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code KEY=VALUE} arguments of {@code option} as a request's map; a usage error for a key given twice. */
    protected Map<String, String> keyValues(Collection<KeyValue> pairs, String option) {
        try {
            return KeyValues.toMap(pairs, option);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
    }

    /** {@code stub} with this command's deadline. */
    protected <S extends AbstractStub<S>> S withDeadline(S stub) {
        return stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    @Override
    public final Integer call() throws InvalidProtocolBufferException {
        ManagedChannel channel = Channels.open(endpoint());
        try {
            R response = call(channel);
            PrintWriter out = spec.commandLine().getOut();
            if (output == Output.json) {
                out.println(JsonFormat.printer().print(response));
            } else {
                printText(response, out);
            }
            out.flush();
            return exitCode(response);
        } catch (StatusRuntimeException e) {
            PrintWriter err = spec.commandLine().getErr();
            String description = e.getStatus().getDescription();
            // gRPC's own failures ("io exception") say why only in their cause, e.g. no such socket.
            if (e.getStatus().getCause() != null && e.getStatus().getCause().getMessage() != null) {
                description = (description == null ? "" : description + ": ") + e.getStatus().getCause().getMessage();
            }
            err.println(e.getStatus().getCode() + ": " + (description == null ? "(no message)" : masked(description)));
            err.flush();
            return CALL_FAILED;
        } finally {
            channel.shutdownNow();
        }
    }

    private String masked(String text) {
        String masked = text;
        for (String secret : secretValues()) {
            if (!secret.isEmpty()) {
                masked = masked.replace(secret, "***");
            }
        }
        return masked;
    }

    private String endpoint() {
        OptionSpec option = spec.root().findOption("--endpoint");
        if (option == null || option.getValue() == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no endpoint: pass --endpoint unix:///PATH");
        }
        return option.getValue();
    }
}
