package io.csi4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs a command line through picocli under {@link TestRoot}, capturing what it prints. */
public final class Cli {

    /** Exit code and everything printed. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private Cli() {}

    /** {@code csi4j --endpoint ENDPOINT args...}. */
    public static Result run(String endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoint", endpoint));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(new TestRoot());
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * The command {@code args} name ({@code controller create-volume ...}), parsed but not run,
     * for looking at the request it builds.
     */
    public static <T> T parse(Class<T> type, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoint", "unix:///nowhere"));
        all.addAll(List.of(args));
        CommandLine.ParseResult result = new CommandLine(new TestRoot()).parseArgs(all.toArray(String[]::new));
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return type.cast(result.commandSpec().userObject());
    }
}
