package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import csi.v1.ListVolumesRequest;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code csi4j bench} against the real driver on its socket, each workload small: the counts in
 * its JSON report add up, failures are counted by gRPC code, and nothing is left on the driver
 * after a normal run, after SIGINT, and after {@code bench cleanup} of a run killed with -9.
 */
class BenchCommandTest {

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    private Path stateDir;

    @BeforeEach
    void stateDir() throws IOException {
        // lifecycle stages and publishes under its state directory: inside the driver's bound on node paths
        stateDir = Files.createTempDirectory(driver.kubeletDir(), "bench-state-");
    }

    @AfterEach
    void nothingLeftBehind() throws IOException {
        try {
            assertThat(volumesOnTheDriver()).as("volumes left on the driver").isZero();
            try (var files = Files.list(stateDir)) {
                assertThat(files.toList()).as("journals and directories left in the state dir").isEmpty();
            }
        } finally {
            CsiDriverExtension.deleteTree(stateDir);
        }
    }

    @Test
    void createDeleteCallsEachRpcOncePerOperation() {
        DriverProcess.Result result = bench("create-delete", "--ops", "6", "-c", "2", "--size", "16Mi");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonObject report = json(result);
        assertThat(operations(report)).containsExactly(6L, 6L, 0L);
        assertThat(rpc(report, "CreateVolume")).containsEntry("calls", 6L).containsEntry("ok", 6L);
        assertThat(rpc(report, "DeleteVolume")).containsEntry("calls", 6L).containsEntry("ok", 6L);
        assertThat(report.get("errors").getAsLong()).isZero();
        assertThat(report.get("leftBehind").getAsLong()).isZero();
    }

    @Test
    void aBadParameterIsCountedAsInvalidArgumentAndFailsTheRunPastMaxErrors() {
        DriverProcess.Result tolerated = bench("create-delete", "--ops", "3", "--param", "colour=blue", "--max-errors", "3");
        DriverProcess.Result exceeded = bench("create-delete", "--ops", "3", "--param", "colour=blue", "--max-errors", "2");

        assertThat(tolerated.exitCode()).as(tolerated.stderr()).isZero();
        JsonObject report = json(tolerated);
        assertThat(operations(report)).containsExactly(3L, 0L, 3L);
        assertThat(errors(report, "CreateVolume")).containsExactly(Map.entry("INVALID_ARGUMENT", 3L));
        assertThat(rpcNames(report)).doesNotContain("DeleteVolume");
        assertThat(exceeded.exitCode()).isEqualTo(1);
        assertThat(exceeded.stderr()).contains("3 calls failed (--max-errors 2)");
    }

    @Test
    void listPagesThroughEveryVolumeTheSetupMade() {
        DriverProcess.Result result = bench("list", "--volumes", "12", "--page-size", "5", "--ops", "2", "--size", "16Mi");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonObject report = json(result);
        assertThat(operations(report)).containsExactly(2L, 2L, 0L);
        assertThat(rpc(report, "ListVolumes")).containsEntry("calls", 6L).containsEntry("ok", 6L);
        assertThat(report.getAsJsonObject("counters").get("entriesPerListing").getAsLong()).isEqualTo(12);
        assertThat(report.getAsJsonObject("counters").get("pagesPerListing").getAsLong()).isEqualTo(3);
        assertThat(rpc(report.getAsJsonObject("setup"), "CreateVolume")).containsEntry("ok", 12L);
        assertThat(rpc(report.getAsJsonObject("cleanup"), "DeleteVolume")).containsEntry("ok", 12L);
    }

    @Test
    void fillKeepsItsVolumesUntilTheEndAndReportsEachBlock() {
        DriverProcess.Result result = bench("fill", "--ops", "7", "--block-size", "3", "-c", "2", "--size", "16Mi");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonObject report = json(result);
        assertThat(operations(report)).containsExactly(7L, 7L, 0L);
        assertThat(rpcNames(report)).containsExactly("CreateVolume");
        List<String> blocks = new ArrayList<>();
        long samples = 0;
        for (JsonElement block : report.getAsJsonArray("blocks")) {
            JsonObject b = block.getAsJsonObject();
            blocks.add(b.get("first").getAsLong() + "-" + b.get("last").getAsLong());
            samples += b.getAsJsonObject("latencyMs").get("count").getAsLong();
        }
        assertThat(blocks).containsExactly("1-3", "4-6", "7-7");
        assertThat(samples).isEqualTo(7);
        assertThat(rpc(report.getAsJsonObject("cleanup"), "DeleteVolume")).containsEntry("ok", 7L);
    }

    @Test
    void lifecycleStagesPublishesAndTearsDownEveryVolume() {
        DriverProcess.Result result = bench("lifecycle", "--ops", "2", "--size", "16Mi", "--fs", "ext4", "--max-errors", "0");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonObject report = json(result);
        assertCallsAddUp(report);
        assertThat(rpc(report, "CreateVolume")).containsEntry("ok", 2L);
        assertThat(rpc(report, "DeleteVolume")).containsEntry("ok", 2L);
        for (String call : List.of("NodeStageVolume", "NodePublishVolume", "NodeUnpublishVolume", "NodeUnstageVolume")) {
            assertThat(rpc(report, call)).as(call).containsEntry("ok", 2L);
        }
    }

    @Test
    void snapshotCreatesAndDeletesSnapshotsAndDeletesItsSourceVolume() {
        DriverProcess.Result result = bench("snapshot", "--ops", "2", "--size", "16Mi", "--max-errors", "0");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonObject report = json(result);
        assertCallsAddUp(report);
        assertThat(rpc(report, "CreateSnapshot")).containsEntry("ok", 2L);
        assertThat(rpc(report, "DeleteSnapshot")).containsEntry("ok", 2L);
        assertThat(rpc(report.getAsJsonObject("setup"), "CreateVolume")).containsEntry("ok", 1L);
        assertThat(rpc(report.getAsJsonObject("cleanup"), "DeleteVolume")).containsEntry("ok", 1L);
    }

    @Test
    void sigintStopsTheRunAndRemovesWhatItMade() throws Exception {
        Process bench = start("fill", "--duration", "5m", "--size", "16Mi", "--prefix", "interrupted");
        try {
            awaitVolumes(3);
            new ProcessBuilder("kill", "-INT", Long.toString(bench.pid())).inheritIO().start().waitFor();

            assertThat(bench.waitFor(60, TimeUnit.SECONDS)).as("bench exited after SIGINT").isTrue();
            assertThat(bench.exitValue()).isEqualTo(130);
            JsonObject report = JsonParser.parseString(new String(bench.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            assertThat(report.get("interrupted").getAsBoolean()).isTrue();
            assertThat(report.get("leftBehind").getAsLong()).isZero();
            assertThat(rpc(report.getAsJsonObject("cleanup"), "DeleteVolume").get("ok"))
                    .isEqualTo(operations(report).get(1));
        } finally {
            bench.destroyForcibly().waitFor();
        }
    }

    @Test
    void cleanupRemovesWhatARunKilledWithSigkillLeft() throws Exception {
        Process bench = start("fill", "--duration", "5m", "--size", "16Mi", "-c", "2", "--prefix", "killed");
        try {
            awaitVolumes(3);
        } finally {
            bench.destroyForcibly().waitFor(); // SIGKILL: no cleanup of its own
        }
        assertThat(volumesOnTheDriver()).isPositive();
        assertThat(stateDir.resolve("killed.journal")).exists();

        DriverProcess.Result cleanup = DriverProcess.run(List.of("bench", "cleanup", "--prefix", "killed",
                "--state-dir", stateDir.toString()), Drivers.RUN);

        assertThat(cleanup.exitCode()).as(cleanup.stdout() + cleanup.stderr()).isZero();
        assertThat(cleanup.stdout()).startsWith("killed: ").contains(" removed, 0 left");
        assertThat(stateDir.resolve("killed.journal")).doesNotExist();
    }

    // --- helpers ------------------------------------------------------------------------------

    /** Runs {@code csi4j bench <args>} against the driver, JSON report, journals in this test's state dir. */
    private DriverProcess.Result bench(String... args) {
        return DriverProcess.run(benchArgs(args), Drivers.RUN.multipliedBy(2));
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(DriverProcess.javaCommand());
        command.addAll(benchArgs(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private List<String> benchArgs(String... args) {
        List<String> command = new ArrayList<>(List.of("--endpoint", "unix://" + driver.socket(), "bench"));
        command.addAll(List.of(args));
        command.addAll(List.of("--state-dir", stateDir.toString(), "-o", "json"));
        return command;
    }

    private static long volumesOnTheDriver() {
        return driver.driver().controller().listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesCount();
    }

    private static void awaitVolumes(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (volumesOnTheDriver() < count) {
            assertThat(System.nanoTime()).as("%d volumes made within a minute", count).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static JsonObject json(DriverProcess.Result result) {
        return JsonParser.parseString(result.stdout()).getAsJsonObject();
    }

    /** done, succeeded, failed. */
    private static List<Long> operations(JsonObject report) {
        JsonObject ops = report.getAsJsonObject("operations");
        return List.of(ops.get("done").getAsLong(), ops.get("succeeded").getAsLong(), ops.get("failed").getAsLong());
    }

    private static List<String> rpcNames(JsonObject phase) {
        List<String> names = new ArrayList<>();
        for (JsonElement rpc : phase.getAsJsonArray("rpcs")) {
            names.add(rpc.getAsJsonObject().get("rpc").getAsString());
        }
        return names;
    }

    private static JsonObject rpcObject(JsonObject phase, String name) {
        JsonArray rpcs = phase.getAsJsonArray("rpcs");
        for (JsonElement rpc : rpcs) {
            if (rpc.getAsJsonObject().get("rpc").getAsString().equals(name)) {
                return rpc.getAsJsonObject();
            }
        }
        throw new AssertionError("no " + name + " in " + phase);
    }

    /** calls and ok of one RPC. */
    private static Map<String, Long> rpc(JsonObject phase, String name) {
        JsonObject rpc = rpcObject(phase, name);
        return Map.of("calls", rpc.get("calls").getAsLong(), "ok", rpc.get("ok").getAsLong());
    }

    private static Map<String, Long> errors(JsonObject phase, String name) {
        Map<String, Long> errors = new HashMap<>();
        rpcObject(phase, name).getAsJsonObject("errors").entrySet()
                .forEach(e -> errors.put(e.getKey(), e.getValue().getAsLong()));
        return errors;
    }

    /** Every call either answered or is counted under one code; every operation succeeded or failed. */
    private static void assertCallsAddUp(JsonObject report) {
        for (String name : rpcNames(report)) {
            long failed = errors(report, name).values().stream().mapToLong(Long::longValue).sum();
            assertThat(rpc(report, name).get("ok") + failed).as(name).isEqualTo(rpc(report, name).get("calls"));
        }
        List<Long> ops = operations(report);
        assertThat(ops.get(1) + ops.get(2)).isEqualTo(ops.get(0));
    }
}
