package io.csi4j.driver;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The client half of training the JDK's ahead-of-time caches: the launcher starts a training
 * {@code serve} (which records the server's cache) and runs this against it (which records the
 * client's). Two caches, because the JVM loads every class of its cache at start: a server that
 * preloads client classes, or the reverse, pays for them in memory and time.
 */
@Command(name = "aot-train", hidden = true, description = "Run the client commands in a loop (AOT cache training).")
final class AotTrainCommand implements Callable<Integer> {

    @Option(names = "--target", required = true, description = "Endpoint of a serving driver.")
    String target;

    @Override
    public Integer call() {
        for (int round = 0; round < 20; round++) {
            for (String[] call : new String[][] {
                    {"identity", "info"}, {"identity", "probe"}, {"identity", "capabilities"},
                    {"identity", "info", "-o", "json"}, {"node", "info"}, {"node", "capabilities"},
                    {"controller", "capabilities"}}) {
                String[] args = Stream.concat(Stream.of("--endpoint", target), Stream.of(call)).toArray(String[]::new);
                CommandLine line = Csi4j.commandLine(args);
                line.setOut(new PrintWriter(Writer.nullWriter()));
                line.setErr(new PrintWriter(Writer.nullWriter()));
                if (line.execute(args) != 0) {
                    throw new IllegalStateException("training call failed: " + String.join(" ", call));
                }
            }
        }
        return 0;
    }
}
