package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Slowloris, slow body (R-U-Dead-Yet) and slow read against the jar, with Debian's
 * {@code slowhttptest} (installed when missing): while it holds {@value #DEFAULT_CONNECTIONS}
 * connections open for {@value #DEFAULT_SECONDS} s, a normal client (a new connection per request, to
 * another backend than the attacked one, so that the test measures the proxy and not the backend)
 * keeps getting its answers within twice its latency measured just before, scaled by how much slower
 * the machine itself got meanwhile (the same probes sent straight to the backend: CI machines are
 * shared, and the attack's own client takes CPU), and 10 ms at least (a loopback request takes
 * about 1 ms). Every probe must succeed.
 *
 * <p>Longer by hand: {@code -Dsluice.hostile.seconds=60 -Dsluice.hostile.connections=2000}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
    static final int DEFAULT_SECONDS = 6;
    static final int DEFAULT_CONNECTIONS = 256;
    private static final int SECONDS = Integer.getInteger("sluice.hostile.seconds", DEFAULT_SECONDS);
    private static final int CONNECTIONS = Integer.getInteger("sluice.hostile.connections", DEFAULT_CONNECTIONS);

    /** @param connections how many connections slowhttptest holds (a share of {@code sluice.hostile.connections}) */
    record Mode(String name, List<String> args, String path, int connections) {
        @Override
        public String toString() {
            return name;
        }
    }

    private String slowhttptest;
    private Backend probed;
    private Backend attacked;
    private Sluice sluice;

    @BeforeAll
    void start() throws Exception {
        slowhttptest = Tools.require("slowhttptest", "slowhttptest").toString();
        probed = new Backend("probed");
        attacked = new Backend("attacked");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.probe]
                rule = "PathPrefix(`/probe`)"
                service = "probed"
                [http.routers.attack]
                rule = "PathPrefix(`/attack`) || PathPrefix(`/respond`)"
                service = "attacked"
                [http.services.probed.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.attacked.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(probed.url(), attacked.url()));
    }

    @AfterAll
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (probed != null) {
            probed.close();
        }
        if (attacked != null) {
            attacked.close();
        }
    }

    static Stream<Mode> modes() {
        if (System.getProperty("sluice.hostile.mode") != null) {
            return modesAll().filter(m -> m.name().equals(System.getProperty("sluice.hostile.mode")));
        }
        return modesAll();
    }

    static Stream<Mode> modesAll() {
        return Stream.of(
                // Headers trickle in, one line a second: never complete.
                new Mode("slow headers", List.of("-H", "-i", "1", "-x", "8"), "/attack/headers", CONNECTIONS),
                // Complete headers announcing a 64 KiB body that trickles in.
                new Mode("slow body", List.of("-B", "-i", "1", "-s", "65536", "-x", "8"), "/attack/body", CONNECTIONS),
                // 1 MiB answers (written without blocking by the backend) read through a window of a few bytes,
                // 32 bytes a second. A quarter of the connections: on a shared 2-core machine, hundreds of them
                // wake so many threads of the one test JVM (proxy and backends) that every probe, direct ones
                // too, waits for a CPU; -Dsluice.hostile.connections=1024 runs it with 256 by hand.
                new Mode("slow read", List.of("-X", "-k", "1", "-n", "1", "-w", "1", "-y", "64", "-z", "32"),
                        "/respond?size=1048576", Math.max(16, CONNECTIONS / 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modes")
    void normalClientsAreServedWhileSlowClientsHoldConnections(Mode mode, @TempDir Path tmp) throws Exception {
        int port = sluice.port("web");
        Probes before = probe(port, 40, Long.MAX_VALUE);

        List<String> command = new ArrayList<>(List.of(slowhttptest, "-c", Integer.toString(mode.connections()), "-r", "200",
                "-l", Integer.toString(SECONDS), "-p", "3", "-u", "http://127.0.0.1:" + port + mode.path()));
        command.addAll(mode.args());
        Path log = tmp.resolve("slowhttptest.log");
        Process attack = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Probes during;
        int held = 0;
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
            // The attack is on once most of its connections are open.
            while (System.nanoTime() < end && held < mode.connections() / 2) {
                held = Math.max(held, open(port));
                TimeUnit.MILLISECONDS.sleep(50); // polling the connection count, not ordering anything
            }
            assertTrue(held >= mode.connections() / 2, mode + ": slowhttptest opened only " + held + " connections\n" + Files.readString(log));
            during = probe(port, Integer.MAX_VALUE, end - TimeUnit.MILLISECONDS.toNanos(500));
            held = Math.max(held, open(port));
        } finally {
            if (!attack.waitFor(SECONDS + 30L, TimeUnit.SECONDS)) {
                attack.destroyForcibly();
            }
        }
        assertTrue(during.proxied.size() >= 5, mode + ": only " + during.proxied.size() + " probes during the attack (" + held
                + " connections held): the attack took its whole length to open its connections, or probes took seconds");
        // The machine's own slowdown (other processes, the attack's CPU), seen by the direct probes, is not the proxy's.
        double machine = Math.max(1.0, (double) median(during.direct) / median(before.direct));
        long allowed = Math.max((long) (2 * median(before.proxied) * machine), TimeUnit.MILLISECONDS.toNanos(10));
        String figures = ("%s: %d connections held; proxied probes before %d (median %.2f ms), during %d (median %.2f ms, max %.2f ms);"
                + " direct probes before median %.2f ms, during %.2f ms; allowed %.2f ms").formatted(mode, held, before.proxied.size(),
                median(before.proxied) / 1e6, during.proxied.size(), median(during.proxied) / 1e6, Collections.max(during.proxied) / 1e6,
                median(before.direct) / 1e6, median(during.direct) / 1e6, allowed / 1e6);
        System.out.println("[hostile] " + figures);
        assertTrue(median(during.proxied) <= allowed, figures);

        // Once the attacker is gone, its connections are too.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (open(port) > 5 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        assertTrue(open(port) <= 5, mode + ": connections left after the attack: " + open(port));
    }

    /** Latencies of requests through the proxy and, as a control, straight to the same backend. */
    record Probes(List<Long> proxied, List<Long> direct) {}

    private int open(int port) {
        return sluice.server.connectors().get("web").getConnectedEndPoints().size();
    }

    /**
     * Up to {@code count} pairs of probes, one after the other, until {@code untilNanos}: a new connection
     * to the proxy, then one straight to its backend; each must get 200.
     */
    private Probes probe(int port, int count, long untilNanos) throws IOException {
        Probes probes = new Probes(new ArrayList<>(), new ArrayList<>());
        while (probes.proxied.size() < count && System.nanoTime() < untilNanos) {
            probes.proxied.add(timedGet(port));
            probes.direct.add(timedGet(probed.port()));
        }
        return probes;
    }

    private static long timedGet(int port) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /probe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("probed"), answer);
        }
        return System.nanoTime() - start;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
