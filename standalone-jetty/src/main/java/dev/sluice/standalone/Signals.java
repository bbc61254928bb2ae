package dev.sluice.standalone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSIX signals for the standalone jar: {@code SIGHUP} reloads the configuration, {@code SIGUSR1}
 * reopens the access log file, {@code SIGTERM}
 * and {@code SIGINT} stop gracefully and exit 0 (the JVM's own handling would exit 143 without
 * waiting for the accept grace period). Uses {@code sun.misc.Signal}, in the {@code jdk.unsupported}
 * module of every JDK since 9, the one way to handle signals in plain Java; where a signal cannot be
 * handled (Windows has no SIGHUP) it is skipped with a debug line.
 */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {}

    /** Runs {@code action} on its own thread each time signal {@code name} arrives. */
    @SuppressWarnings("sunapi")
    static void on(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                Thread thread = new Thread(action, "sluice-SIG" + name);
                thread.start();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("signal {} not handled here: {}", name, e.getMessage());
        }
    }
}
