package io.csi4j.server.controller;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGetCapabilitiesResponse;
import csi.v1.ControllerGrpc;
import io.csi4j.server.config.Capabilities;
import io.grpc.stub.StreamObserver;

/**
 * The Controller service. It reports exactly the capabilities of the running mode and backend;
 * RPCs not yet served answer UNIMPLEMENTED (the generated base class does that).
 */
public final class ControllerService extends ControllerGrpc.ControllerImplBase {

    private final ControllerGetCapabilitiesResponse capabilities;

    public ControllerService(Capabilities capabilities) {
        this.capabilities = ControllerGetCapabilitiesResponse.newBuilder()
                .addAllCapabilities(capabilities.controller())
                .build();
    }

    @Override
    public void controllerGetCapabilities(ControllerGetCapabilitiesRequest request,
                                          StreamObserver<ControllerGetCapabilitiesResponse> response) {
        response.onNext(capabilities);
        response.onCompleted();
    }
}
