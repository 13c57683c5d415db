package io.csi4j.driver;

import static io.csi4j.driver.Drivers.minimalCreate;
import static org.assertj.core.api.Assertions.assertThat;

import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.CreateSnapshotRequest;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.ProbeRequest;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LoggingTest {

    private static final Metadata.Key<String> REQUEST_ID =
            Metadata.Key.of("csi4j-request-id", Metadata.ASCII_STRING_MARSHALLER);

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving("--log-level", "debug");

    @RegisterExtension
    static final CsiDriverExtension json = CsiDriverExtension.serving("--log-level", "debug", "--log-format", "json");

    /** Per method called with secrets: the request ID the driver returned and the status it answered. */
    private static final Map<String, Outcome> outcomes = new LinkedHashMap<>();

    /** Per method called with secrets: what the call is about, as its final log line shows it. */
    private static final Map<String, String> subjects = Map.of(
            "CreateVolume", " name=pvc-secret-test",
            "NodeStageVolume", " volume_id=vol-stage staging_target_path=/staging/vol-stage",
            "NodePublishVolume", " volume_id=vol-publish target_path=/target/vol-publish",
            "CreateSnapshot", " name=snap-secret-test source_volume_id=vol-source",
            "ControllerExpandVolume", " volume_id=vol-expand",
            "ValidateVolumeCapabilities", " volume_id=vol-validate");

    /** The request ID of a call and the status code it ended with. */
    private record Outcome(String requestId, Status.Code code) {}

    @BeforeAll
    static void callEveryRpcThatTakesSecrets() {
        DriverProcess d = driver.driver();
        outcomes.put("CreateVolume", call(d.controller(), c -> c.createVolume(
                minimalCreate("pvc-secret-test").putSecrets("password", "s3cr3t-value-1").putParameters("type", "image")
                        .build())));
        outcomes.put("NodeStageVolume", call(d.node(), n -> n.nodeStageVolume(
                NodeStageVolumeRequest.newBuilder().setVolumeId("vol-stage").setStagingTargetPath("/staging/vol-stage")
                        .putSecrets("token", "s3cr3t-value-2").build())));
        outcomes.put("NodePublishVolume", call(d.node(), n -> n.nodePublishVolume(
                NodePublishVolumeRequest.newBuilder().setVolumeId("vol-publish").setTargetPath("/target/vol-publish")
                        .putSecrets("publish-key", "s3cr3t-value-3").build())));
        outcomes.put("CreateSnapshot", call(d.controller(), c -> c.createSnapshot(
                CreateSnapshotRequest.newBuilder().setName("snap-secret-test").setSourceVolumeId("vol-source")
                        .putSecrets("snapshot-key", "s3cr3t-value-4").build())));
        outcomes.put("ControllerExpandVolume", call(d.controller(), c -> c.controllerExpandVolume(
                ControllerExpandVolumeRequest.newBuilder().setVolumeId("vol-expand")
                        .putSecrets("expand-key", "s3cr3t-value-5").build())));
        outcomes.put("ValidateVolumeCapabilities", call(d.controller(), c -> c.validateVolumeCapabilities(
                ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId("vol-validate")
                        .putSecrets("validate-key", "s3cr3t-value-6").build())));
        // every call's last line is logged before its status goes out, but the output is read asynchronously
        for (Outcome outcome : outcomes.values()) {
            Drivers.awaitLine(d, line -> line.contains("[" + outcome.requestId() + "]") && line.contains(" -> "));
        }
    }

    @Test
    void noSecretValueIsLogged() {
        assertThat(driver.driver().output()).doesNotContain("s3cr3t");
    }

    @Test
    void secretKeysAreLoggedWithRedactedValues() {
        assertThat(driver.driver().output())
                .contains("secrets { key: \"password\" value: \"***redacted***\" }")
                .contains("secrets { key: \"token\" value: \"***redacted***\" }");
    }

    @Test
    void requestsAreLoggedAtDebugWithTheirNonSecretFields() {
        assertThat(driver.driver().output())
                .contains("name: \"pvc-secret-test\"")
                .contains("parameters { key: \"type\" value: \"image\" }");
    }

    @Test
    void theRequestIdGoesBackToTheCallerAndIsUniquePerCall() {
        assertThat(outcomes.values()).extracting(Outcome::requestId)
                .hasSize(6).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{12}"));
    }

    @Test
    void everyLineOfACallCarriesItsRequestId() {
        String output = driver.driver().output();
        for (Map.Entry<String, Outcome> call : outcomes.entrySet()) {
            String method = call.getKey();
            Status.Code code = call.getValue().code();
            String tag = "[" + call.getValue().requestId() + "]";
            List<String> lines = output.lines().filter(line -> line.contains(tag)).toList();

            // request first, outcome last; a call that succeeded also logs its work and its response in between
            assertThat(lines).as("lines of %s %s", method, tag).hasSizeGreaterThanOrEqualTo(2);
            assertThat(lines.getFirst()).contains(" DEBUG " + tag + " calls: " + method + " request ");
            assertThat(lines.getLast()).contains(" %-5s %s calls: %s%s -> %s in ".formatted(
                    levelOfFinalLine(code), tag, method, subjects.get(method), code));
            if (code == Status.Code.OK) {
                assertThat(lines).as("lines of %s %s", method, tag)
                        .anyMatch(line -> line.contains(" DEBUG " + tag + " calls: " + method + " response "));
            } else {
                assertThat(lines).as("lines of %s %s", method, tag).hasSize(2);
            }
            assertThat(output.lines().filter(line -> line.contains(" " + method + " ")
                    || line.contains(" " + method + subjects.get(method) + " ")))
                    .as("lines that mention %s", method)
                    .allMatch(line -> line.contains(tag));
        }
    }

    @Test
    void createVolumeSucceedsAndEndsWithOneInfoLineNamingTheVolumeAndTheStatus() {
        Outcome create = outcomes.get("CreateVolume");
        String tag = "[" + create.requestId() + "]";

        assertThat(create.code()).isEqualTo(Status.Code.OK);
        assertThat(driver.driver().output().lines()
                .filter(line -> line.contains(tag + " calls: CreateVolume name=pvc-secret-test -> OK in ")))
                .singleElement().asString().contains(" INFO  " + tag + " calls: ");
    }

    @Test
    void jsonFormatLogsOneJsonObjectPerLine() {
        DriverProcess d = json.driver();
        d.identity().probe(ProbeRequest.getDefaultInstance());
        Outcome create = call(d.controller(), c -> c.createVolume(
                minimalCreate("pvc-json-test").putSecrets("password", "s3cr3t-json").build()));
        String id = create.requestId();
        Drivers.awaitLine(d, line -> line.contains(id) && line.contains(" -> "));

        List<String> lines = d.output().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(4).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        assertThat(lines)
                .filteredOn(line -> line.contains(
                        "\"formattedMessage\":\"CreateVolume name=pvc-json-test -> " + create.code() + " in "))
                .singleElement().asString().contains("\"requestId\":\"" + id + "\"");
        assertThat(d.output()).doesNotContain("s3cr3t");
    }

    /** The level of the line that ends a call of a non-routine method with {@code code}. */
    private static String levelOfFinalLine(Status.Code code) {
        return switch (code) {
            case OK -> "INFO";
            case UNIMPLEMENTED -> "DEBUG";
            case INTERNAL, UNKNOWN, DATA_LOSS -> "ERROR";
            default -> "WARN";
        };
    }

    /**
     * Makes a call, successful or not, and returns its status code and the request ID the driver
     * sent back (in the trailers; also in the headers when it sent any).
     */
    private static <S extends AbstractStub<S>> Outcome call(S stub, Function<S, ?> rpc) {
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        S capturing = stub.withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers));
        Status.Code code;
        try {
            rpc.apply(capturing);
            code = Status.Code.OK;
        } catch (StatusRuntimeException e) {
            code = e.getStatus().getCode();
        }
        String id = trailers.get() == null ? null : trailers.get().get(REQUEST_ID);
        assertThat(id).as("csi4j-request-id trailer").isNotNull();
        if (headers.get() != null && headers.get().get(REQUEST_ID) != null) {
            assertThat(headers.get().get(REQUEST_ID)).as("csi4j-request-id header").isEqualTo(id);
        }
        return new Outcome(id, code);
    }
}
