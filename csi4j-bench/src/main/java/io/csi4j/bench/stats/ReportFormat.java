package io.csi4j.bench.stats;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link Report} as a table for people or as JSON for scripts. */
public enum ReportFormat {
    text {
        @Override
        public String format(Report report) {
            StringBuilder out = new StringBuilder();
            Report.Operations ops = report.operations();
            out.append(String.format(Locale.ROOT, "%s on %s (prefix %s): %d operations in %.2f s = %.1f ops/s,"
                            + " concurrency %d, %d failed%s%n", report.workload(), report.endpoint(), report.prefix(),
                    ops.done(), report.seconds(), ops.perSecond(), report.concurrency(), ops.failed(),
                    report.interrupted() ? ", INTERRUPTED" : ""));
            table(out, report.rpcs(), ops);
            errors(out, "", report.rpcs());
            report.counters().forEach((name, count) -> out.append(name).append(": ").append(count).append('\n'));
            if (!report.blocks().isEmpty()) {
                out.append("CreateVolume latency per block of volumes:\n");
                out.append(String.format(Locale.ROOT, "%-17s %10s %10s %10s %10s%n", "volumes", "p50 ms", "p90 ms",
                        "p99 ms", "max ms"));
                for (Report.Block block : report.blocks()) {
                    Latency l = block.latency();
                    out.append(String.format(Locale.ROOT, "%-17s %10.2f %10.2f %10.2f %10.2f%n",
                            block.first() + "-" + block.last(), l.p50(), l.p90(), l.p99(), l.max()));
                }
            }
            phase(out, "setup", report.setup());
            phase(out, "cleanup", report.cleanup());
            if (!report.failure().isEmpty()) {
                out.append("FAILED: ").append(report.failure()).append('\n');
            }
            if (report.leftBehind() > 0) {
                out.append("LEFT BEHIND: ").append(report.leftBehind())
                        .append(" objects; remove them with: csi4j bench cleanup --prefix ").append(report.prefix()).append('\n');
            }
            return out.toString();
        }
    },
    json {
        @Override
        public String format(Report report) {
            Json json = new Json().object()
                    .key("workload").value(report.workload())
                    .key("endpoint").value(report.endpoint())
                    .key("prefix").value(report.prefix())
                    .key("concurrency").value(report.concurrency())
                    .key("seconds").value(report.seconds())
                    .key("interrupted").value(report.interrupted());
            Report.Operations ops = report.operations();
            json.key("operations").object()
                    .key("done").value(ops.done())
                    .key("succeeded").value(ops.succeeded())
                    .key("failed").value(ops.failed())
                    .key("perSecond").value(ops.perSecond());
            latency(json.key("latencyMs"), ops.latency()).endObject();
            json.key("errors").value(report.errors());
            rpcs(json.key("rpcs"), report.rpcs());
            json.key("counters").counts(report.counters());
            json.key("blocks").array();
            for (Report.Block block : report.blocks()) {
                json.object().key("first").value(block.first()).key("last").value(block.last());
                latency(json.key("latencyMs"), block.latency()).endObject();
            }
            json.endArray();
            phase(json.key("setup"), report.setup());
            phase(json.key("cleanup"), report.cleanup());
            json.key("leftBehind").value(report.leftBehind());
            json.key("failure").value(report.failure());
            return json.endObject() + "\n";
        }

        private void phase(Json json, Report.Phase phase) {
            json.object().key("seconds").value(phase.seconds());
            rpcs(json.key("rpcs"), phase.rpcs());
            json.endObject();
        }

        private void rpcs(Json json, List<RpcStats> rpcs) {
            json.array();
            for (RpcStats rpc : rpcs) {
                json.object().key("rpc").value(rpc.rpc())
                        .key("calls").value(rpc.calls())
                        .key("ok").value(rpc.ok())
                        .key("perSecond").value(rpc.perSecond())
                        .key("errors").counts(rpc.errors())
                        .key("examples").texts(rpc.examples());
                latency(json.key("latencyMs"), rpc.latency()).endObject();
            }
            json.endArray();
        }

        private Json latency(Json json, Latency latency) {
            return json.object().key("count").value(latency.count())
                    .key("p50").value(latency.p50()).key("p90").value(latency.p90())
                    .key("p99").value(latency.p99()).key("max").value(latency.max())
                    .endObject();
        }
    };

    public abstract String format(Report report);

    private static void table(StringBuilder out, List<RpcStats> rpcs, Report.Operations ops) {
        out.append(String.format(Locale.ROOT, "%-26s %8s %8s %7s %9s %10s %10s %10s %10s%n",
                "RPC", "calls", "ok", "errors", "calls/s", "p50 ms", "p90 ms", "p99 ms", "max ms"));
        for (RpcStats rpc : rpcs) {
            row(out, rpc.rpc(), rpc.calls(), rpc.ok(), rpc.perSecond(), rpc.latency());
        }
        row(out, "(operation)", ops.done(), ops.succeeded(), ops.perSecond(), ops.latency());
    }

    private static void row(StringBuilder out, String name, long calls, long ok, double perSecond, Latency l) {
        out.append(String.format(Locale.ROOT, "%-26s %8d %8d %7d %9.1f %10.2f %10.2f %10.2f %10.2f%n",
                name, calls, ok, calls - ok, perSecond, l.p50(), l.p90(), l.p99(), l.max()));
    }

    private static void errors(StringBuilder out, String indent, List<RpcStats> rpcs) {
        boolean header = false;
        for (RpcStats rpc : rpcs) {
            for (Map.Entry<String, Long> error : rpc.errors().entrySet()) {
                if (!header) {
                    out.append(indent).append("errors by code:\n");
                    header = true;
                }
                out.append(String.format(Locale.ROOT, "%s  %-24s %-20s %6d  %s%n", indent, rpc.rpc(), error.getKey(),
                        error.getValue(), oneLine(rpc.examples().getOrDefault(error.getKey(), ""))));
            }
        }
    }

    private static void phase(StringBuilder out, String name, Report.Phase phase) {
        if (phase.rpcs().isEmpty()) {
            return;
        }
        out.append(String.format(Locale.ROOT, "%s (%.2f s):%n", name, phase.seconds()));
        for (RpcStats rpc : phase.rpcs()) {
            Latency l = rpc.latency();
            out.append(String.format(Locale.ROOT, "  %-24s %8d calls %8d ok  p50 %.2f ms  p99 %.2f ms  max %.2f ms%n",
                    rpc.rpc(), rpc.calls(), rpc.ok(), l.p50(), l.p99(), l.max()));
        }
        errors(out, "  ", phase.rpcs());
    }

    private static String oneLine(String message) {
        String line = message.replace('\n', ' ');
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
