package io.csi4j.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import csi.v1.ControllerPublishVolumeRequest;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeGroupSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteSnapshotRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.GetVolumeGroupSnapshotRequest;
import csi.v1.IdentityGrpc;
import csi.v1.NodeExpandVolumeRequest;
import csi.v1.NodeGetVolumeStatsRequest;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.server.RecordingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CallLoggingInterceptorTest {

    static Stream<Arguments> subjects() {
        return Stream.of(
                Arguments.of("CreateVolume shows the name",
                        CreateVolumeRequest.newBuilder().setName("pvc-1").putParameters("type", "fast")
                                .putSecrets("password", "hunter2").build(),
                        " name=pvc-1"),
                Arguments.of("DeleteVolume shows the volume",
                        DeleteVolumeRequest.newBuilder().setVolumeId("v1").putSecrets("password", "hunter2").build(),
                        " volume_id=v1"),
                Arguments.of("ControllerPublishVolume shows volume and node",
                        ControllerPublishVolumeRequest.newBuilder().setNodeId("n1").setVolumeId("v1")
                                .putSecrets("password", "hunter2").build(),
                        " volume_id=v1 node_id=n1"),
                Arguments.of("NodeStageVolume shows the staging path",
                        NodeStageVolumeRequest.newBuilder().setVolumeId("v1").setStagingTargetPath("/staging")
                                .putPublishContext("device", "/dev/sdb").putSecrets("password", "hunter2").build(),
                        " volume_id=v1 staging_target_path=/staging"),
                Arguments.of("NodePublishVolume shows both paths, target first",
                        NodePublishVolumeRequest.newBuilder().setVolumeId("v1").setStagingTargetPath("/staging")
                                .setTargetPath("/target").putSecrets("password", "hunter2").build(),
                        " volume_id=v1 target_path=/target staging_target_path=/staging"),
                Arguments.of("NodeExpandVolume shows the volume path",
                        NodeExpandVolumeRequest.newBuilder().setVolumeId("v1").setVolumePath("/target")
                                .setStagingTargetPath("/staging").putSecrets("password", "hunter2").build(),
                        " volume_id=v1 staging_target_path=/staging volume_path=/target"),
                Arguments.of("NodeGetVolumeStats shows volume and path",
                        NodeGetVolumeStatsRequest.newBuilder().setVolumeId("v1").setVolumePath("/target").build(),
                        " volume_id=v1 volume_path=/target"),
                Arguments.of("CreateSnapshot shows name and source",
                        CreateSnapshotRequest.newBuilder().setSourceVolumeId("v1").setName("snap-1")
                                .putSecrets("password", "hunter2").build(),
                        " name=snap-1 source_volume_id=v1"),
                Arguments.of("DeleteSnapshot shows the snapshot",
                        DeleteSnapshotRequest.newBuilder().setSnapshotId("s1").putSecrets("password", "hunter2").build(),
                        " snapshot_id=s1"),
                Arguments.of("CreateVolumeGroupSnapshot shows the name, not the repeated volume IDs",
                        CreateVolumeGroupSnapshotRequest.newBuilder().setName("g1").addSourceVolumeIds("v1")
                                .addSourceVolumeIds("v2").putSecrets("password", "hunter2").build(),
                        " name=g1"),
                Arguments.of("GetVolumeGroupSnapshot shows the group",
                        GetVolumeGroupSnapshotRequest.newBuilder().setGroupSnapshotId("g1")
                                .putSecrets("password", "hunter2").build(),
                        " group_snapshot_id=g1"),
                Arguments.of("empty fields are left out",
                        NodePublishVolumeRequest.newBuilder().setVolumeId("v1").setTargetPath("/target").build(),
                        " volume_id=v1 target_path=/target"),
                Arguments.of("a request about nothing shows nothing", ProbeRequest.getDefaultInstance(), ""),
                Arguments.of("a request with only secrets shows nothing",
                        DeleteVolumeRequest.newBuilder().putSecrets("password", "hunter2").build(), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void subjectNamesWhatTheCallIsAboutAndNeverASecret(String name, Message request, String subject) {
        String shown = CallLoggingInterceptor.subjectOf(request);

        assertThat(shown).isEqualTo(subject);
        assertThat(shown).doesNotContain("hunter2").doesNotContain("password").doesNotContain("secrets");
    }

    // The interceptor on its own, with hand-written calls; CsiServerTest covers it in a real server.

    private final RecordingServerCall<ProbeRequest, ProbeResponse> call =
            new RecordingServerCall<>(IdentityGrpc.getProbeMethod());

    private ServerCall.Listener<ProbeRequest> intercept(RecordingServerCall<ProbeRequest, ProbeResponse> target,
                                                        ServerCallHandler<ProbeRequest, ProbeResponse> handler) {
        return new CallLoggingInterceptor().interceptCall(target, new Metadata(), handler);
    }

    private static ServerCallHandler<ProbeRequest, ProbeResponse> answering(List<ProbeRequest> received) {
        return RecordingServerCall.answering(received, ProbeResponse.getDefaultInstance());
    }

    @Test
    void theRequestIdGoesBackInHeadersAndTrailers() {
        List<ProbeRequest> received = new ArrayList<>();
        ServerCall.Listener<ProbeRequest> listener = intercept(call, answering(received));

        listener.onMessage(ProbeRequest.getDefaultInstance());
        listener.onHalfClose();

        String id = call.headers.getFirst().get(RequestIds.HEADER);
        assertThat(id).matches("[0-9a-f]{12}");
        assertThat(call.trailers).singleElement().extracting(t -> t.get(RequestIds.HEADER)).isEqualTo(id);
        assertThat(received).containsExactly(ProbeRequest.getDefaultInstance());
        assertThat(call.messages).containsExactly(ProbeResponse.getDefaultInstance());
        assertThat(call.closes).singleElement().extracting(Status::getCode).isEqualTo(Status.Code.OK);
    }

    @Test
    void aCallThatFailsBeforeAnyHeaderStillGetsItsIdInTheTrailers() {
        ServerCall.Listener<ProbeRequest> listener = intercept(call, (c, h) -> new ServerCall.Listener<>() {
            @Override
            public void onHalfClose() {
                c.close(Status.FAILED_PRECONDITION.withDescription("not ready"), new Metadata());
            }
        });

        listener.onHalfClose();

        assertThat(call.headers).isEmpty();
        assertThat(call.trailers.getFirst().get(RequestIds.HEADER)).matches("[0-9a-f]{12}");
        assertThat(call.closes.getFirst().getDescription()).isEqualTo("not ready");
    }

    @Test
    void eachCallGetsItsOwnId() {
        RecordingServerCall<ProbeRequest, ProbeResponse> other = new RecordingServerCall<>(IdentityGrpc.getProbeMethod());
        intercept(call, answering(new ArrayList<>())).onHalfClose();
        intercept(other, answering(new ArrayList<>())).onHalfClose();

        assertThat(call.trailers.getFirst().get(RequestIds.HEADER))
                .isNotEqualTo(other.trailers.getFirst().get(RequestIds.HEADER));
    }
}
