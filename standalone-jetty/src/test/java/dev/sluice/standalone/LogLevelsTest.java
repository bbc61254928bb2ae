package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.LogConfig;
import org.eclipse.jetty.logging.JettyLevel;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code log.level} on loggers that exist already (this JVM's logging started long ago); loggers
 * created afterwards are {@link MainProcessTest}'s, in a fresh JVM.
 */
class LogLevelsTest {
    private final JettyLoggerFactory loggers = (JettyLoggerFactory) LoggerFactory.getILoggerFactory();
    private final JettyLevel sluiceBefore = loggers.getJettyLogger("dev.sluice").getLevel();
    private final JettyLevel rootBefore = loggers.getJettyLogger("ROOT").getLevel();

    @AfterEach
    void restore() {
        loggers.getJettyLogger("dev.sluice").setLevel(sluiceBefore);
        loggers.getJettyLogger("ROOT").setLevel(rootBefore);
        System.clearProperty("dev.sluice.LEVEL");
        System.clearProperty("ROOT.LEVEL");
    }

    @Test
    void traefiksLevelsAsJettys() {
        assertEquals(JettyLevel.TRACE, LogLevels.of(LogConfig.Level.TRACE));
        assertEquals(JettyLevel.DEBUG, LogLevels.of(LogConfig.Level.DEBUG));
        assertEquals(JettyLevel.INFO, LogLevels.of(LogConfig.Level.INFO));
        assertEquals(JettyLevel.WARN, LogLevels.of(LogConfig.Level.WARN));
        assertEquals(JettyLevel.ERROR, LogLevels.of(LogConfig.Level.ERROR));
        assertEquals(JettyLevel.ERROR, LogLevels.of(LogConfig.Level.FATAL));
        assertEquals(JettyLevel.ERROR, LogLevels.of(LogConfig.Level.PANIC));
    }

    @Test
    void appliesToSluicesLoggersAndTheRootNotToJettys() {
        Logger existing = LoggerFactory.getLogger("dev.sluice.proxy.SomeClass");
        JettyLogger jetty = loggers.getJettyLogger("org.eclipse.jetty.server.Server");
        JettyLevel jettyBefore = jetty.getLevel();
        LogLevels.apply(LogConfig.Level.DEBUG);
        assertTrue(existing.isDebugEnabled());
        assertEquals(JettyLevel.DEBUG, loggers.getJettyLogger("ROOT").getLevel());
        assertEquals(jettyBefore, jetty.getLevel());
        LogLevels.apply(LogConfig.Level.ERROR);
        assertFalse(existing.isWarnEnabled());
        assertTrue(existing.isErrorEnabled());
    }

    @Test
    void noLevelKeepsTheDefaults() {
        LogLevels.apply(null);
        assertEquals(sluiceBefore, loggers.getJettyLogger("dev.sluice").getLevel());
        assertEquals(null, System.getProperty("dev.sluice.LEVEL"));
    }
}
