package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.ControllerExpandVolumeRequest;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.ProbeRequest;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
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

    /** Per method called with secrets: the request ID the driver returned. */
    private static final Map<String, String> requestIds = new LinkedHashMap<>();

    /** Per method called with secrets: what the call is about, as its final log line shows it. */
    private static final Map<String, String> subjects = Map.of(
            "CreateVolume", " name=pvc-secret-test",
            "NodeStageVolume", " volume_id=vol-stage staging_target_path=/staging/vol-stage",
            "NodePublishVolume", " volume_id=vol-publish target_path=/target/vol-publish",
            "CreateSnapshot", " name=snap-secret-test source_volume_id=vol-source",
            "ControllerExpandVolume", " volume_id=vol-expand",
            "ValidateVolumeCapabilities", " volume_id=vol-validate");

    @BeforeAll
    static void callEveryRpcThatTakesSecrets() {
        DriverProcess d = driver.driver();
        requestIds.put("CreateVolume", unimplementedCallId(() -> d.controller().createVolume(
                CreateVolumeRequest.newBuilder().setName("pvc-secret-test")
                        .putSecrets("password", "s3cr3t-value-1").putParameters("type", "image").build())));
        requestIds.put("NodeStageVolume", unimplementedCallId(() -> d.node().nodeStageVolume(
                NodeStageVolumeRequest.newBuilder().setVolumeId("vol-stage").setStagingTargetPath("/staging/vol-stage")
                        .putSecrets("token", "s3cr3t-value-2").build())));
        requestIds.put("NodePublishVolume", unimplementedCallId(() -> d.node().nodePublishVolume(
                NodePublishVolumeRequest.newBuilder().setVolumeId("vol-publish").setTargetPath("/target/vol-publish")
                        .putSecrets("publish-key", "s3cr3t-value-3").build())));
        requestIds.put("CreateSnapshot", unimplementedCallId(() -> d.controller().createSnapshot(
                CreateSnapshotRequest.newBuilder().setName("snap-secret-test").setSourceVolumeId("vol-source")
                        .putSecrets("snapshot-key", "s3cr3t-value-4").build())));
        requestIds.put("ControllerExpandVolume", unimplementedCallId(() -> d.controller().controllerExpandVolume(
                ControllerExpandVolumeRequest.newBuilder().setVolumeId("vol-expand")
                        .putSecrets("expand-key", "s3cr3t-value-5").build())));
        requestIds.put("ValidateVolumeCapabilities", unimplementedCallId(() -> d.controller()
                .validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder().setVolumeId("vol-validate")
                        .putSecrets("validate-key", "s3cr3t-value-6").build())));
        // every call's last line is logged before its status goes out, but the output is read asynchronously
        for (Map.Entry<String, String> call : requestIds.entrySet()) {
            Drivers.awaitLine(d, line -> line.contains("[" + call.getValue() + "]") && line.contains(" -> "));
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
        assertThat(requestIds.values()).hasSize(6).doesNotHaveDuplicates().allMatch(id -> id.matches("[0-9a-f]{12}"));
    }

    @Test
    void everyLineOfACallCarriesItsRequestId() {
        String output = driver.driver().output();
        for (Map.Entry<String, String> call : requestIds.entrySet()) {
            String method = call.getKey();
            String tag = "[" + call.getValue() + "]";
            List<String> lines = output.lines().filter(line -> line.contains(tag)).toList();

            assertThat(lines).as("lines of %s %s", method, tag).hasSize(2);
            assertThat(lines.get(0)).contains(" DEBUG " + tag + " calls: " + method + " request ");
            assertThat(lines.get(1)).contains(" DEBUG " + tag + " calls: " + method + subjects.get(method)
                    + " -> UNIMPLEMENTED in ");
            assertThat(output.lines().filter(line -> line.contains(" " + method + " ")
                    || line.contains(" " + method + subjects.get(method) + " ")))
                    .as("lines that mention %s", method)
                    .allMatch(line -> line.contains(tag));
        }
    }

    @Test
    void createVolumeEndsWithOneLineNamingTheVolumeAndTheStatus() {
        String tag = "[" + requestIds.get("CreateVolume") + "]";

        assertThat(driver.driver().output().lines()
                .filter(line -> line.contains(tag + " calls: CreateVolume name=pvc-secret-test -> UNIMPLEMENTED")))
                .hasSize(1);
    }

    @Test
    void jsonFormatLogsOneJsonObjectPerLine() {
        DriverProcess d = json.driver();
        d.identity().probe(ProbeRequest.getDefaultInstance());
        String id = unimplementedCallId(() -> d.controller().createVolume(CreateVolumeRequest.newBuilder()
                .setName("pvc-json-test").putSecrets("password", "s3cr3t-json").build()));
        Drivers.awaitLine(d, line -> line.contains(id) && line.contains("UNIMPLEMENTED"));

        List<String> lines = d.output().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(4).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        assertThat(lines)
                .filteredOn(line -> line.contains(
                        "\"formattedMessage\":\"CreateVolume name=pvc-json-test -> UNIMPLEMENTED in "))
                .singleElement().asString().contains("\"requestId\":\"" + id + "\"");
        assertThat(d.output()).doesNotContain("s3cr3t");
    }

    /** Makes a call that must answer UNIMPLEMENTED and returns the request ID in its trailers. */
    private static String unimplementedCallId(ThrowingCallable call) {
        StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(failure).as("the call should have failed").isNotNull();
        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        String id = failure.getTrailers() == null ? null : failure.getTrailers().get(REQUEST_ID);
        assertThat(id).as("csi4j-request-id trailer").isNotNull();
        return id;
    }
}
