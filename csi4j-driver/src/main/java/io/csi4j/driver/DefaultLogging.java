package io.csi4j.driver;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration before any flag is read: warnings and errors on stderr, set up in code
 * rather than from XML so that short client commands start fast. {@code serve} replaces it.
 */
public final class DefaultLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        Logging.install(context, Level.WARN, Logging.Format.text);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
