package dev.sluice.standalone;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.logging.JettyLoggerFactory;
import org.eclipse.jetty.logging.StdErrAppender;
import org.slf4j.LoggerFactory;

/**
 * The log lines Sluice writes while this is open, still printed to the console as well. Sluice logs
 * through SLF4J and the jar binds Jetty's implementation ({@code jetty-slf4j-impl}, not logback):
 * its one {@link StdErrAppender} gets a stream that copies into a buffer. Tests run one at a time
 * in one JVM, so the lines are those of the running test.
 */
final class LogCapture implements AutoCloseable {
    private final StdErrAppender appender;
    private final PrintStream original;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    LogCapture() {
        JettyLoggerFactory loggers = (JettyLoggerFactory) LoggerFactory.getILoggerFactory();
        appender = (StdErrAppender) loggers.getJettyLogger("dev.sluice").getAppender();
        original = appender.getStream() != null ? appender.getStream() : System.err; // null: the appender writes to System.err
        appender.setStream(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (copy) {
                    copy.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** The lines so far that contain {@code text}. */
    List<String> lines(String text) {
        String all;
        synchronized (copy) {
            all = copy.toString(StandardCharsets.UTF_8);
        }
        return Arrays.stream(all.split("\n")).filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        appender.setStream(original == System.err ? null : original);
    }
}
