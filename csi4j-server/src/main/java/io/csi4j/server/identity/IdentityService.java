package io.csi4j.server.identity;

import com.google.protobuf.BoolValue;
import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginCapabilitiesResponse;
import csi.v1.GetPluginInfoRequest;
import csi.v1.GetPluginInfoResponse;
import csi.v1.IdentityGrpc;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.server.config.Capabilities;
import io.csi4j.server.config.DriverName;
import io.csi4j.spi.Readiness;
import io.csi4j.spi.StorageBackend;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Map;

/** GetPluginInfo, GetPluginCapabilities and Probe. */
public final class IdentityService extends IdentityGrpc.IdentityImplBase {

    private final GetPluginInfoResponse info;
    private final GetPluginCapabilitiesResponse capabilities;
    private final StorageBackend backend;

    public IdentityService(DriverName name, String version, Map<String, String> manifest,
                           Capabilities capabilities, StorageBackend backend) {
        this.info = GetPluginInfoResponse.newBuilder()
                .setName(name.value())
                .setVendorVersion(version)
                .putAllManifest(manifest)
                .build();
        this.capabilities = GetPluginCapabilitiesResponse.newBuilder()
                .addAllCapabilities(capabilities.plugin())
                .build();
        this.backend = backend;
    }

    @Override
    public void getPluginInfo(GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> response) {
        response.onNext(info);
        response.onCompleted();
    }

    @Override
    public void getPluginCapabilities(GetPluginCapabilitiesRequest request,
                                      StreamObserver<GetPluginCapabilitiesResponse> response) {
        response.onNext(capabilities);
        response.onCompleted();
    }

    /**
     * Ready when the backend says so. A backend that cannot serve answers FAILED_PRECONDITION with
     * its reason, so the operator sees why in the liveness probe's log, not just "not ready".
     */
    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> response) {
        switch (backend.readiness()) {
            case Readiness.Ready ready -> {
                response.onNext(ProbeResponse.newBuilder().setReady(BoolValue.of(true)).build());
                response.onCompleted();
            }
            case Readiness.NotReady notReady -> throw Status.FAILED_PRECONDITION
                    .withDescription(backend.name() + " backend is not ready: " + notReady.reason())
                    .asRuntimeException();
        }
    }
}
