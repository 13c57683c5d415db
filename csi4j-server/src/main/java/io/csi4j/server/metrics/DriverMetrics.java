package io.csi4j.server.metrics;

import io.csi4j.spi.StorageBackend;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Every metric of one driver process in one registry: the calls, the backend's figures, the system
 * tools, the process and JVM (the client library's instrumentation) and {@code csi4j_build_info}.
 */
public final class DriverMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final RpcMetrics rpc;
    private final ToolMetrics tools;

    public DriverMetrics(String version, String driverName) {
        JvmMetrics.builder().register(registry);
        Info build = Info.builder().name("csi4j_build_info").help("The driver's version and name")
                .labelNames("version", "driver").register(registry);
        build.setLabelValues(version, driverName);
        rpc = new RpcMetrics(registry);
        tools = new ToolMetrics(registry);
    }

    /** Reports {@code backend}'s figures on every scrape. */
    public void watch(StorageBackend backend) {
        registry.register(new BackendCollector(backend::figures));
    }

    /** The interceptor that feeds the call metrics; it goes outside every other one. */
    public RpcMetricsInterceptor interceptor() {
        return new RpcMetricsInterceptor(rpc);
    }

    public ToolMetrics tools() {
        return tools;
    }

    PrometheusRegistry registry() {
        return registry;
    }
}
