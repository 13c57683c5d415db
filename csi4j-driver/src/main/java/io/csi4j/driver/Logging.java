package io.csi4j.driver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Log level and format of the running driver; logs go to stderr, where kubelet collects them. */
final class Logging {

    /** How log lines look. */
    enum Format { text, json }

    /** Every line of a call carries its request ID, or "-" outside calls. */
    static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%X{requestId:--}] %logger{0}: %msg%n%ex";

    private Logging() {}

    /** Reconfigures logging for a serving driver, and routes gRPC's java.util.logging through it. */
    static void configureServer(Level level, Format format) {
        install((LoggerContext) LoggerFactory.getILoggerFactory(), level, format);
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }

    static void install(LoggerContext context, Level level, Format format) {
        context.reset();
        Encoder<ILoggingEvent> encoder = switch (format) {
            case text -> {
                PatternLayoutEncoder pattern = new PatternLayoutEncoder();
                pattern.setPattern(PATTERN);
                yield pattern;
            }
            case json -> {
                // the message as written, not only its "{}" template and arguments
                JsonEncoder json = new JsonEncoder();
                json.setWithFormattedMessage(true);
                yield json;
            }
        };
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("stderr");
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();

        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        // Netty logs every unix socket connection's unsupported SO_KEEPALIVE option.
        context.getLogger("io.netty.bootstrap").setLevel(Level.ERROR);
        context.getLogger("io.netty").setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
        context.getLogger("io.grpc").setLevel(level.isGreaterOrEqual(Level.INFO) ? level : Level.INFO);
    }
}
