package io.csi4j.driver;

import io.csi4j.bench.BenchCommand;
import io.csi4j.cli.controller.ControllerCommand;
import io.csi4j.cli.group.GroupCommand;
import io.csi4j.cli.identity.IdentityCommand;
import io.csi4j.cli.node.NodeCommand;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code csi4j}: serve CSI, or call any CSI driver's RPCs from the command line. */
@Command(name = "csi4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Kubernetes storage through the Container Storage Interface.")
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
        return commandLine(args).execute(args);
    }

    /**
     * The subcommands, built on demand: picocli reflects over every command it is given, and its
     * classes cannot go into the JVM's AOT cache (they target Java 5), so building only the
     * branch a command line uses saves a good part of a short command's start.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("serve", ServeCommand::new);
        commands.put("identity", IdentityCommand::new);
        commands.put("controller", ControllerCommand::new);
        commands.put("node", NodeCommand::new);
        commands.put("group", GroupCommand::new);
        commands.put("bench", BenchCommand::new);
        commands.put("metrics", MetricsCommand::new);
        commands.put("aot-train", AotTrainCommand::new);
        return commands;
    }

    /** A command line for {@code args}: with only the subcommand they name, or all of them. */
    static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(new Csi4j());
        String named = null;
        for (String arg : args) {
            if (SUBCOMMANDS.containsKey(arg)) {
                named = arg;
                break;
            }
        }
        for (Map.Entry<String, Supplier<Object>> command : SUBCOMMANDS.entrySet()) {
            if (named == null || named.equals(command.getKey())) {
                line.addSubcommand(command.getKey(), command.getValue().get());
            }
        }
        line.setCaseInsensitiveEnumValuesAllowed(true);
        line.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("csi4j: " + describe(e) + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
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

    /**
     * The message of a usage error. For unknown arguments only the option names are repeated: the
     * values after a mistyped option may be secrets (as in {@code --secrte password=...}).
     */
    static String describe(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> options = unmatched.getUnmatched().stream().filter(a -> a.startsWith("-")).toList();
            int others = unmatched.getUnmatched().size() - options.size();
            String named = options.isEmpty() ? "unexpected arguments"
                    : (options.size() == 1 ? "Unknown option: " : "Unknown options: ")
                    + options.stream().map(o -> "'" + o.split("=", 2)[0] + "'").collect(Collectors.joining(", "));
            return others > 0 ? named + " (and " + others + " other argument" + (others > 1 ? "s" : "") + ")" : named;
        }
        return e.getMessage();
    }
}
