package io.csi4j.cli.controller;

import com.google.protobuf.Message;
import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGetCapabilitiesResponse;
import csi.v1.ControllerGetVolumeRequest;
import csi.v1.ControllerGetVolumeResponse;
import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.CreateVolumeResponse;
import csi.v1.DeleteVolumeRequest;
import csi.v1.DeleteVolumeResponse;
import csi.v1.GetCapacityRequest;
import csi.v1.GetCapacityResponse;
import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.ValidateVolumeCapabilitiesResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * A recording peer standing in for "any CSI driver": the real csi4j driver does not serve these
 * controller RPCs yet, and the cli must work against every driver anyway. It keeps the last
 * request it got and answers with a canned response or fails with a canned status.
 */
final class RecordingController extends ControllerGrpc.ControllerImplBase {

    private volatile Message request;
    private volatile Message response;
    private volatile Status failure;

    /** Answer the next call with {@code canned}. */
    void respondWith(Message canned) {
        this.response = canned;
        this.failure = null;
    }

    /** Fail the next call with {@code status}. */
    void failWith(Status status) {
        this.failure = status;
    }

    /** The last request, or null when no call arrived. */
    Message request() {
        return request;
    }

    /** The last request as {@code type}. */
    <T extends Message> T request(Class<T> type) {
        return type.cast(request);
    }

    @Override
    public void createVolume(CreateVolumeRequest call, StreamObserver<CreateVolumeResponse> observer) {
        answer(call, observer, CreateVolumeResponse.class);
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest call, StreamObserver<DeleteVolumeResponse> observer) {
        answer(call, observer, DeleteVolumeResponse.class);
    }

    @Override
    public void listVolumes(ListVolumesRequest call, StreamObserver<ListVolumesResponse> observer) {
        answer(call, observer, ListVolumesResponse.class);
    }

    @Override
    public void controllerGetVolume(ControllerGetVolumeRequest call, StreamObserver<ControllerGetVolumeResponse> observer) {
        answer(call, observer, ControllerGetVolumeResponse.class);
    }

    @Override
    public void validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest call,
            StreamObserver<ValidateVolumeCapabilitiesResponse> observer) {
        answer(call, observer, ValidateVolumeCapabilitiesResponse.class);
    }

    @Override
    public void getCapacity(GetCapacityRequest call, StreamObserver<GetCapacityResponse> observer) {
        answer(call, observer, GetCapacityResponse.class);
    }

    @Override
    public void controllerGetCapabilities(ControllerGetCapabilitiesRequest call,
            StreamObserver<ControllerGetCapabilitiesResponse> observer) {
        answer(call, observer, ControllerGetCapabilitiesResponse.class);
    }

    private <T extends Message> void answer(Message call, StreamObserver<T> observer, Class<T> type) {
        request = call;
        if (failure != null) {
            observer.onError(failure.asRuntimeException());
            return;
        }
        if (!type.isInstance(response)) {
            observer.onError(Status.INTERNAL.withDescription("test gave no canned " + type.getSimpleName()).asRuntimeException());
            return;
        }
        observer.onNext(type.cast(response));
        observer.onCompleted();
    }
}
