package io.csi4j.server.logging;

import io.grpc.Metadata;
import java.util.concurrent.ThreadLocalRandom;

/** Short random IDs that tie the log lines of one call together and are returned to the caller. */
public final class RequestIds {

    /** The response header and trailer that carry the request ID back to the caller. */
    public static final Metadata.Key<String> HEADER =
            Metadata.Key.of("csi4j-request-id", Metadata.ASCII_STRING_MARSHALLER);

    /** The MDC key log patterns use, as in {@code %X{requestId}}. */
    public static final String MDC_KEY = "requestId";

    private RequestIds() {}

    /** 12 hex digits: unique enough to grep for across a node's logs. */
    public static String next() {
        return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    }
}
