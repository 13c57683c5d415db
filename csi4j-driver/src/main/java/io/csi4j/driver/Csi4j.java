package io.csi4j.driver;

import io.csi4j.cli.controller.ControllerCommand;
import io.csi4j.cli.identity.IdentityCommand;
import io.csi4j.cli.node.NodeCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code csi4j}: serve CSI, or call any CSI driver's RPCs from the command line. */
@Command(name = "csi4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Kubernetes storage through the Container Storage Interface.",
        subcommands = {ServeCommand.class, IdentityCommand.class, ControllerCommand.class, NodeCommand.class,
                AotTrainCommand.class})
public final class Csi4j implements Runnable {

    /** Exit code for bad flags or arguments. */
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "CSI endpoint the client commands call: unix:///abs/path or tcp://host:port"
                    + " (default: $CSI_ENDPOINT, else ${DEFAULT-VALUE}).")
    String endpoint = Defaults.endpoint();

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line; returns the process exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Csi4j());
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("csi4j: " + e.getMessage() + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return USAGE;
        });
        line.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("csi4j: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return e instanceof IllegalArgumentException ? USAGE : 1;
        });
        return line;
    }
}
