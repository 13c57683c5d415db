package io.csi4j.bench.stats;

import java.util.Map;

/**
 * One RPC's figures over a phase. Latency covers the calls that answered; failed calls are
 * counted by code, with one message per code as an example.
 *
 * @param errors   failed calls by gRPC code name, e.g. {@code INVALID_ARGUMENT}
 * @param examples one message per code in {@code errors}
 */
public record RpcStats(String rpc, long calls, long ok, Map<String, Long> errors, Map<String, String> examples,
                       double perSecond, Latency latency) {

    public RpcStats {
        errors = Map.copyOf(errors);
        examples = Map.copyOf(examples);
    }

    public long failed() {
        return calls - ok;
    }
}
