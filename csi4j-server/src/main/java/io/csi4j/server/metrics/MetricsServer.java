package io.csi4j.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.csi4j.spi.Readiness;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoint: {@code /metrics} (Prometheus text or OpenMetrics, as the scraper
 * asks), {@code /healthz} and {@code /readyz}: 200 {@code ok} while the CSI server serves and the
 * backend passes the same check as Probe (run at each request, so the answer is never stale), else
 * 503 with the reason in the body.
 */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer http;
    private final ExecutorService threads;

    private MetricsServer(HttpServer http, ExecutorService threads) {
        this.http = http;
        this.threads = threads;
    }

    /**
     * Binds and starts serving.
     *
     * @param health what {@code /healthz} and {@code /readyz} report
     * @throws IllegalArgumentException when the address cannot be bound (in use, not local)
     */
    public static MetricsServer start(InetSocketAddress address, DriverMetrics metrics, Supplier<Readiness> health)
            throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (BindException e) {
            throw new IllegalArgumentException("--metrics-address " + address.getHostString() + ":" + address.getPort()
                    + " cannot be bound: " + e.getMessage(), e);
        }
        ExecutorService threads = Executors.newFixedThreadPool(2, Thread.ofPlatform().daemon().name("csi4j-metrics-", 1).factory());
        http.setExecutor(threads);
        http.createContext("/metrics", new MetricsHandler(metrics.registry()));
        http.createContext("/healthz", exchange -> health(exchange, health.get()));
        http.createContext("/readyz", exchange -> health(exchange, health.get()));
        http.createContext("/", exchange -> answer(exchange, 404, "not found: try /metrics, /healthz or /readyz\n"));
        http.start();
        return new MetricsServer(http, threads);
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, Readiness readiness) throws IOException {
        switch (readiness) {
            case Readiness.Ready ready -> answer(exchange, 200, "ok\n");
            case Readiness.NotReady notReady -> answer(exchange, 503, notReady.reason() + "\n");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
