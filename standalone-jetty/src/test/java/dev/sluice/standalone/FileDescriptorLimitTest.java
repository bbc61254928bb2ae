package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens at the file-descriptor limit: the jar runs in a JVM of its own under
 * {@code ulimit -n} {@value #LIMIT} and gets {@value #IDLE} idle connections, more than it can hold.
 * It must stay up within its limit, keep answering (or refuse cleanly, 502) on a connection it already
 * has, not flood its log, and serve new clients again once the idle connections are gone.
 * (Issue 16 asks for 50,000 connections; a lowered limit reaches the same wall with a few hundred.)
 */
class FileDescriptorLimitTest {
    static final int LIMIT = 512;
    static final int IDLE = 600;
    private static final Pattern LISTENING = Pattern.compile("entry point web listening on 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void atTheLimitItRefusesCleanlyAndRecovers(@TempDir Path dir) throws Exception {
        try (Backend backend = new Backend("up")) {
            Path config = Files.writeString(dir.resolve("sluice.toml"), ProxyTest.oneService(backend.url(), ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "ulimit -n " + LIMIT + " && exec '" + java + "' -Xmx256m -cp '" + System.getProperty("java.class.path") + "' "
                    + Main.class.getName() + " --config '" + config + "'";
            Path stderr = dir.resolve("stderr.log");
            Process sluice = new ProcessBuilder("sh", "-c", command).redirectError(stderr.toFile()).start();
            List<Socket> idle = new ArrayList<>();
            try {
                int port = awaitPort(sluice, stderr);
                long pid = sluice.pid();
                // A client that got in before the flood, with its keep-alive connection.
                Socket early = new Socket(InetAddress.getLoopbackAddress(), port);
                early.setSoTimeout(10_000);
                assertTrue(get(early, true).startsWith("HTTP/1.1 200"));
                int before = openFiles(pid);

                for (int i = 0; i < IDLE; i++) {
                    idle.add(new Socket(InetAddress.getLoopbackAddress(), port)); // the kernel's backlog takes what Sluice cannot
                }
                // Sluice accepts until it has no descriptor left (bounded wait: it accepts as fast as it can).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                int peak = openFiles(pid);
                while (peak < LIMIT - 5 && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(100);
                    peak = Math.max(peak, openFiles(pid));
                }
                assertTrue(sluice.isAlive(), "sluice died at the limit: " + Files.readString(stderr));
                assertTrue(peak <= LIMIT, "more descriptors than the limit? " + peak);
                // The early client: its upstream connection is pooled, so 200; a 502 would be a clean refusal too.
                String during = get(early, true);
                assertTrue(during.startsWith("HTTP/1.1 200") || during.startsWith("HTTP/1.1 502"), during);

                for (Socket s : idle) {
                    s.close();
                }
                idle.clear();
                // Recovered: a new client is served within a few seconds (Jetty pauses 1 s after each failed accept).
                String after = null;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (after == null && System.nanoTime() < until) {
                    try (Socket fresh = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        fresh.setSoTimeout(5_000);
                        after = get(fresh, false);
                    } catch (IOException e) {
                        TimeUnit.MILLISECONDS.sleep(200); // still draining the backlog of the closed ones
                    }
                }
                assertTrue(after != null && after.startsWith("HTTP/1.1 200"), "no recovery: " + after);
                String log = Files.readString(stderr);
                long failures = log.lines().filter(l -> l.contains("Too many open files")).count();
                System.out.printf("[hostile] fd limit %d: %d descriptors before, peak %d with %d idle connections offered;"
                        + " early client during: %s; %d log lines about it; recovered%n", LIMIT, before, peak, IDLE,
                        during.lines().findFirst().orElse(""), failures);
                assertTrue(failures < 100, "the log floods: " + failures + " lines");
            } finally {
                for (Socket s : idle) {
                    s.close();
                }
                sluice.destroy();
                if (!sluice.waitFor(20, TimeUnit.SECONDS)) {
                    sluice.destroyForcibly();
                }
            }
        }
    }

    private static int awaitPort(Process sluice, Path stderr) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(sluice.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("sluice never listened: " + Files.readString(stderr));
    }

    private static int openFiles(long pid) {
        String[] fds = new java.io.File("/proc/" + pid + "/fd").list();
        return fds == null ? -1 : fds.length;
    }

    /** One GET on {@code socket}; the status line and headers read, the body skipped by its length. */
    private static String get(Socket socket, boolean keepAlive) throws IOException {
        socket.getOutputStream().write(("GET /fd HTTP/1.1\r\nHost: x\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        var in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return head.toString();
    }
}
