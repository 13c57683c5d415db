package io.csi4j.driver;

import ch.qos.logback.classic.Level;
import io.csi4j.backend.local.LocalBackend;
import io.csi4j.server.CsiServer;
import io.csi4j.server.DriverName;
import io.csi4j.server.Mode;
import io.csi4j.server.NodeIdentity;
import io.csi4j.server.ServerConfig;
import io.csi4j.server.endpoint.Endpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A short run of what the driver and its client do most, for the JDK's ahead-of-time cache: the
 * launcher runs it once after a build with {@code -XX:AOTCacheOutput}, so later starts skip most
 * class loading and linking.
 */
@Command(name = "aot-train", hidden = true, description = "Exercise serve and client paths once (for the AOT cache).")
final class AotTrainCommand implements Callable<Integer> {

    @Override
    public Integer call() throws IOException {
        Logging.configureServer(Level.WARN, Logging.Format.text);
        Path dir = Files.createTempDirectory("csi4j-aot-");
        try {
            Path data = Files.createDirectory(dir.resolve("data"));
            Endpoint.Unix endpoint = new Endpoint.Unix(dir.resolve("csi.sock"));
            ServerConfig config = new ServerConfig(endpoint, 0660, Duration.ofSeconds(1), Mode.ALL,
                    DriverName.DEFAULT, Version.value(), new NodeIdentity("aot-training"), Map.of("backend", "local"));
            try (CsiServer server = CsiServer.start(config, new LocalBackend(data))) {
                for (int round = 0; round < 20; round++) {
                    for (String[] call : new String[][] {
                            {"identity", "info"}, {"identity", "probe"}, {"identity", "capabilities"},
                            {"identity", "info", "-o", "json"}, {"node", "info"}, {"controller", "capabilities"}}) {
                        CommandLine line = Csi4j.commandLine();
                        line.setOut(new PrintWriter(Writer.nullWriter()));
                        line.setErr(new PrintWriter(Writer.nullWriter()));
                        String[] args = Stream.concat(Stream.of("--endpoint", endpoint.toString()), Stream.of(call))
                                .toArray(String[]::new);
                        if (line.execute(args) != 0) {
                            throw new IllegalStateException("training call failed: " + String.join(" ", call));
                        }
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
