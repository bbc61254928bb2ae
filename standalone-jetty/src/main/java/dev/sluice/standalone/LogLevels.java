package dev.sluice.standalone;

import dev.sluice.proxy.config.LogConfig;
import org.eclipse.jetty.logging.JettyLevel;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.level} to the standalone jar's logging (jetty-slf4j-impl): the {@code dev.sluice}
 * loggers and the root logger. Jetty's own loggers keep their level from
 * {@code jetty-logging.properties} (WARN), as they would otherwise drown Sluice's at DEBUG; override
 * with {@code -Dorg.eclipse.jetty.LEVEL=DEBUG}.
 */
final class LogLevels {
    private LogLevels() {}

    /** Traefik's level as Jetty's: FATAL and PANIC are ERROR, the highest Jetty has. */
    static JettyLevel of(LogConfig.Level level) {
        return switch (level) {
            case TRACE -> JettyLevel.TRACE;
            case DEBUG -> JettyLevel.DEBUG;
            case INFO -> JettyLevel.INFO;
            case WARN -> JettyLevel.WARN;
            case ERROR, FATAL, PANIC -> JettyLevel.ERROR;
        };
    }

    /** Sets {@code level} (nothing when null: the defaults stay); call before anything logs. */
    static void apply(LogConfig.Level level) {
        if (level == null) {
            return;
        }
        JettyLevel jetty = of(level);
        // jetty-slf4j-impl gives each logger its level when it is created, from its configuration, which
        // includes the system properties read when SLF4J starts. The launcher reads the configuration
        // before anything logs, so these reach every logger created from now on...
        System.setProperty("dev.sluice.LEVEL", jetty.name());
        System.setProperty("ROOT.LEVEL", jetty.name());
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof JettyLoggerFactory loggers) {
            // ...and, if SLF4J had started already, these set the loggers that exist (and their children).
            loggers.getJettyLogger("dev.sluice").setLevel(jetty);
            loggers.getJettyLogger("ROOT").setLevel(jetty);
        }
    }
}
