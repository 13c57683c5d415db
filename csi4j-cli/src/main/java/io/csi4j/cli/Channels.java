package io.csi4j.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/** Opens a gRPC channel to a CSI endpoint given as {@code unix:///path}, a bare path, or {@code tcp://host:port}. */
public final class Channels {

    private Channels() {}

    public static ManagedChannel open(String endpoint) {
        return Grpc.newChannelBuilder(target(endpoint), InsecureChannelCredentials.create()).build();
    }

    /** The gRPC target for an endpoint. */
    static String target(String endpoint) {
        if (endpoint.startsWith("unix://")) {
            String path = endpoint.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("unix endpoints need an absolute path: " + endpoint);
            }
            return "unix://" + path;
        }
        if (endpoint.startsWith("/")) {
            return "unix://" + endpoint;
        }
        if (endpoint.startsWith("tcp://")) {
            return "dns:///" + endpoint.substring("tcp://".length());
        }
        throw new IllegalArgumentException("unknown endpoint '" + endpoint + "'; use unix:///abs/path or tcp://host:port");
    }
}
