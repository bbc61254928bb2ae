package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.config.ConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code [accessLog]} over real sockets: every format (Traefik's common, genericCLF and json,
 * Pingap's templates and presets), the filters, the field and header modes, TCP sessions, reopening
 * for logrotate, a reload that moves the file, and the shutdown that writes what is queued.
 */
class AccessLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;
    private Backend backend;
    private Sluice sluice;

    private dev.sluice.proxy.testing.RefusingPort refusing;

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (backend != null) {
            backend.close();
        }
        if (refusing != null) {
            refusing.close();
        }
    }

    private Path log() {
        return dir.resolve("logs/access.log");
    }

    /** An entry point "web" with router "app" to the backend, and {@code accessLog} lines after {@code [accessLog]}. */
    private String config(String accessLog) throws Exception {
        backend = backend == null ? new Backend("one") : backend;
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [accessLog]
                filePath = "%s"
                """.formatted(backend.url(), log()) + accessLog;
    }

    private void start(String accessLog) throws Exception {
        sluice = Sluice.start(config(accessLog));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> awaitLines(Path file, int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readAllLines(file).size() >= n);
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void commonIsTraefiksClfWithRouterServerUrlAndDuration() throws Exception {
        start("");
        assertEquals(200, get("/hello?x=1").statusCode());
        String line = awaitLines(log(), 1).get(0);
        Pattern clf = Pattern.compile("127\\.0\\.0\\.1 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] "
                + "\"GET /hello\\?x=1 HTTP/1\\.1\" 200 3 \"-\" \"-\" \\d+ \"app\" \"" + Pattern.quote(backend.url()) + "\" \\d+ms");
        assertTrue(clf.matcher(line).matches(), line);
    }

    @Test
    void genericClfEndsAfterTheUserAgentWhichHeadersKeep() throws Exception {
        start("""
                format = "genericCLF"
                [accessLog.fields.headers.names]
                User-Agent = "keep"
                Referer = "redact"
                """);
        assertEquals(200, get("/g", "User-Agent", "probe/1.0", "Referer", "https://secret.example/").statusCode());
        String line = awaitLines(log(), 1).get(0);
        assertTrue(line.startsWith("127.0.0.1 - - ["), line);
        assertTrue(line.endsWith("] \"GET /g HTTP/1.1\" 200 3 \"REDACTED\" \"probe/1.0\""), line);
    }

    @Test
    void jsonCarriesTraefiksFieldNamesAndTheHeadersItKeeps() throws Exception {
        start("""
                format = "json"
                [accessLog.fields.names]
                ClientPort = "drop"
                [accessLog.fields.headers]
                defaultMode = "keep"
                [accessLog.fields.headers.names]
                Authorization = "redact"
                X-Secret = "drop"
                """);
        assertEquals(200, get("/j/k?q=v", "Authorization", "Basic c2VjcmV0", "X-Secret", "s3cr3t", "X-Trace", "t-1").statusCode());
        assertEquals(404, get("/respond?status=404&body=no").statusCode());
        List<String> lines = awaitLines(log(), 2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertEquals("web", first.get("entryPointName").asText());
        assertEquals("app", first.get("RouterName").asText());
        assertEquals("app", first.get("ServiceName").asText());
        assertEquals(backend.url(), first.get("ServiceURL").asText());
        assertEquals(URI.create(backend.url()).getAuthority(), first.get("ServiceAddr").asText());
        assertEquals("127.0.0.1", first.get("ClientHost").asText());
        assertFalse(first.has("ClientPort"), "dropped by fields.names");
        assertTrue(first.get("ClientAddr").asText().startsWith("127.0.0.1:"));
        assertEquals("GET", first.get("RequestMethod").asText());
        assertEquals("/j/k?q=v", first.get("RequestPath").asText());
        assertEquals("HTTP/1.1", first.get("RequestProtocol").asText());
        assertEquals("http", first.get("RequestScheme").asText());
        assertEquals("127.0.0.1", first.get("RequestHost").asText());
        assertEquals(200, first.get("DownstreamStatus").asInt());
        assertEquals(200, first.get("OriginStatus").asInt());
        assertEquals(3, first.get("DownstreamContentSize").asLong());
        assertEquals(0, first.get("RetryAttempts").asInt());
        assertTrue(first.get("Duration").asLong() > 0);
        assertTrue(first.get("OriginDuration").asLong() > 0 && first.get("OriginDuration").asLong() <= first.get("Duration").asLong());
        assertEquals(first.get("Duration").asLong() - first.get("OriginDuration").asLong(), first.get("Overhead").asLong());
        assertTrue(first.get("StartUTC").asText().endsWith("Z"));
        assertEquals("REDACTED", first.get("request_Authorization").asText());
        assertFalse(first.has("request_X-Secret"));
        assertEquals("t-1", first.get("request_X-Trace").asText());
        assertEquals("3", first.get("downstream_Content-Length").asText());
        assertEquals("info", first.get("level").asText());
        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals(404, second.get("DownstreamStatus").asInt());
        assertEquals(first.get("RequestCount").asLong() + 1, second.get("RequestCount").asLong());
    }

    @Test
    void aTemplateFillsEveryPlaceholderGroup() throws Exception {
        start("""
                format = "{host} {method} {path} {query} {uri} {proto} {scheme} {remote} {client_ip} {status} {size} {size_human} {payload_size} {latency}ms {latency_human} {when_unix} {when_utc_iso} {>X-Test} {<X-Backend} {~sess} {:upstream_addr} {:upstream_status} {:router} {:service} {:entry_point} {:retries} {:tls_version} {referer} {not.one} $"""
                + "{$hostname}\"\n");
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(sluice.uri("web", "/t/p?a=b"))
                .POST(HttpRequest.BodyPublishers.ofString("12345")).header("X-Test", "yes").header("Cookie", "other=1; sess=abc").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        String line = awaitLines(log(), 1).get(0);
        String[] f = line.split(" ");
        assertEquals("127.0.0.1", f[0]);
        assertEquals("POST", f[1]);
        assertEquals("/t/p", f[2]);
        assertEquals("a=b", f[3]);
        assertEquals("/t/p?a=b", f[4]);
        assertEquals("HTTP/1.1", f[5]);
        assertEquals("http", f[6]);
        assertEquals("127.0.0.1", f[7]);
        assertEquals("127.0.0.1", f[8]);
        assertEquals("200", f[9]);
        assertEquals("3", f[10]);
        assertEquals("3B", f[11]);
        assertEquals("5", f[12]);
        assertTrue(f[13].matches("\\d+ms"), f[13]);
        assertTrue(f[14].matches("\\d+(\\.\\d)?(ms|s)"), f[14]);
        assertTrue(Math.abs(Long.parseLong(f[15]) - System.currentTimeMillis()) < 60_000, f[15]);
        assertTrue(f[16].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), f[16]);
        assertEquals("yes", f[17]);
        assertEquals("one", f[18], "the backend's X-Backend response header");
        assertEquals("abc", f[19]);
        assertEquals(URI.create(backend.url()).getAuthority(), f[20]);
        assertEquals("200", f[21]);
        assertEquals("app", f[22]);
        assertEquals("app", f[23]);
        assertEquals("web", f[24]);
        assertEquals("0", f[25]);
        assertEquals("-", f[26], "no TLS");
        assertEquals("-", f[27], "no Referer");
        assertEquals("{not.one}", f[28], "braces that open no placeholder are text");
        assertEquals("$" + InetAddress.getLocalHost().getHostName(), f[29]);
    }

    @Test
    void theUserBasicAuthAuthenticatedIsTheClientUsername() throws Exception {
        backend = new Backend("one");
        String hash = at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
                .hashToString(4, "pw".toCharArray());
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                middlewares = ["auth"]
                [http.middlewares.auth.basicAuth]
                users = ['ann:%s']
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [accessLog]
                filePath = "%s"
                """.formatted(hash, backend.url(), log()));
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("ann:pw".getBytes());
        assertEquals(200, get("/in", "Authorization", basic).statusCode());
        assertEquals(401, get("/out").statusCode());
        List<String> lines = awaitLines(log(), 2);
        assertTrue(lines.get(0).startsWith("127.0.0.1 - ann ["), lines.get(0));
        assertTrue(lines.get(1).startsWith("127.0.0.1 - - [") && lines.get(1).contains("\" 401 "), lines.get(1));
    }

    @Test
    void pingapsTinyPreset() throws Exception {
        start("format = \"tiny\"\n");
        assertEquals(200, get("/tiny?z=1").statusCode());
        String line = awaitLines(log(), 1).get(0);
        assertTrue(line.matches("GET /tiny\\?z=1 200 3B - \\d+ms"), line);
    }

    @Test
    void statusCodeFilterKeepsOnlyTheListedStatuses() throws Exception {
        start("""
                format = "{status} {path}"
                [accessLog.filters]
                statusCodes = ["404", "500-599"]
                """);
        assertEquals(200, get("/ok").statusCode());
        assertEquals(404, get("/respond?status=404").statusCode());
        assertEquals(503, get("/respond?status=503").statusCode());
        assertEquals(200, get("/ok2").statusCode());
        assertEquals(List.of("404 /respond", "503 /respond"), awaitLines(log(), 2));
        sluice.close(); // everything queued is written: nothing else came
        sluice = null;
        assertEquals(2, Files.readAllLines(log()).size());
    }

    @Test
    void minDurationFilterKeepsOnlySlowExchanges() throws Exception {
        start("""
                format = "{path} {latency}"
                [accessLog.filters]
                minDuration = "200ms"
                """);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, get("/fast").statusCode());
        }
        assertEquals(200, get("/respond?chunks=2&gapMs=400&body=slow").statusCode());
        // The slow one is the last: once its line is there, every line is (Sluice's close cuts what is in flight).
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log())
                && Files.readAllLines(log()).stream().anyMatch(l -> l.startsWith("/respond ")));
        sluice.close();
        sluice = null;
        List<String> lines = Files.readAllLines(log());
        // A fast path is kept only when it was not fast after all (a loaded machine): never below the bound.
        assertTrue(lines.stream().allMatch(l -> Long.parseLong(l.split(" ")[1]) >= 200), lines.toString());
        assertTrue(lines.size() < 6, "the fast ones are left out: " + lines);
    }

    @Test
    void retryAttemptsFilterKeepsRetriedExchanges() throws Exception {
        backend = new Backend("live");
        // Refuses until the test ends: a closed port could be taken by another server meanwhile.
        refusing = new dev.sluice.proxy.testing.RefusingPort();
        int dead = refusing.port();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.app]
                rule = "PathPrefix(`/r`)"
                service = "app"
                middlewares = ["retry"]
                [http.routers.plain]
                rule = "PathPrefix(`/p`)"
                service = "plain"
                [http.middlewares.retry.retry]
                attempts = 2
                [http.services.app.loadBalancer]
                [[http.services.app.loadBalancer.servers]]
                url = "http://127.0.0.1:%d"
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                [[http.services.plain.loadBalancer.servers]]
                url = "%s"
                [accessLog]
                filePath = "%s"
                format = "json"
                [accessLog.filters]
                retryAttempts = true
                """.formatted(dead, backend.url(), backend.url(), log()));
        for (int i = 0; i < 4; i++) {
            assertEquals(200, get("/r" + i).statusCode());
            assertEquals(200, get("/p" + i).statusCode());
        }
        sluice.close();
        sluice = null;
        List<String> lines = Files.readAllLines(log());
        assertFalse(lines.isEmpty(), "round-robin sends some tries to the dead server first");
        for (String line : lines) {
            JsonNode json = JSON.readTree(line);
            assertEquals("app", json.get("RouterName").asText(), line);
            assertEquals(1, json.get("RetryAttempts").asInt(), line);
        }
    }

    @Test
    void fieldsDefaultModeDropLeavesTheClfFieldsOut() throws Exception {
        start("""
                [accessLog.fields]
                defaultMode = "drop"
                [accessLog.fields.names]
                DownstreamStatus = "keep"
                RouterName = "keep"
                """);
        assertEquals(200, get("/d").statusCode());
        assertEquals("- - - [-] \"- - -\" 200 - \"-\" \"-\" - \"app\" \"-\" 0ms", awaitLines(log(), 1).get(0));
    }

    @Test
    void tcpSessionsAreLoggedToo() throws Exception {
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!echo.isClosed()) {
                    try (Socket socket = echo.accept()) {
                        socket.getInputStream().transferTo(socket.getOutputStream());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            sluice = Sluice.start("""
                    [entryPoints.raw]
                    address = "127.0.0.1:0/tcp"
                    [tcp.routers.echo]
                    rule = "HostSNI(`*`)"
                    service = "echo"
                    [[tcp.services.echo.loadBalancer.servers]]
                    address = "127.0.0.1:%d"
                    [accessLog]
                    filePath = "%s"
                    format = "json"
                    """.formatted(echo.getLocalPort(), log()));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), sluice.port("raw"))) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("hello".getBytes());
                client.shutdownOutput();
                assertEquals("hello", new String(client.getInputStream().readAllBytes()));
            }
            JsonNode line = JSON.readTree(awaitLines(log(), 1).get(0));
            assertEquals("TCP", line.get("RequestProtocol").asText());
            assertEquals("raw", line.get("entryPointName").asText());
            assertEquals("echo", line.get("RouterName").asText());
            assertEquals("127.0.0.1:" + echo.getLocalPort(), line.get("ServiceAddr").asText());
            assertEquals(5, line.get("RequestContentSize").asLong());
            assertEquals(5, line.get("DownstreamContentSize").asLong());
            assertEquals("CLOSED", line.get("SessionEnd").asText());
            assertEquals("127.0.0.1", line.get("ClientHost").asText());
        }
    }

    @Test
    void udpSessionsAreLoggedInTheCommonFormatWhenTheyExpire() throws Exception {
        try (java.net.DatagramSocket server = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress());
                java.net.DatagramSocket client = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> {
                byte[] buffer = new byte[512];
                while (!server.isClosed()) {
                    try {
                        java.net.DatagramPacket packet = new java.net.DatagramPacket(buffer, buffer.length);
                        server.receive(packet);
                        server.send(new java.net.DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            echo.setDaemon(true);
            echo.start();
            sluice = Sluice.start("""
                    [entryPoints.dns]
                    address = "127.0.0.1:0/udp"
                    [entryPoints.dns.udp]
                    timeout = "300ms"
                    [udp.routers.dns]
                    service = "resolver"
                    [[udp.services.resolver.loadBalancer.servers]]
                    address = "127.0.0.1:%d"
                    [accessLog]
                    filePath = "%s"
                    """.formatted(server.getLocalPort(), log()));
            client.setSoTimeout(10_000);
            byte[] query = "query".getBytes();
            client.send(new java.net.DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), sluice.port("dns")));
            client.receive(new java.net.DatagramPacket(new byte[512], 512));
            String line = awaitLines(log(), 1).get(0); // once the session expired
            Pattern clf = Pattern.compile("127\\.0\\.0\\.1 - - \\[[^]]+] \"UDP dns IDLE\" - 5 \"-\" \"-\" \\d+ \"dns\" \"127\\.0\\.0\\.1:"
                    + server.getLocalPort() + "\" \\d+ms");
            assertTrue(clf.matcher(line).matches(), line);
        }
    }

    @Test
    void reopenWritesToANewFileAfterLogrotateMovedTheOldOne() throws Exception {
        start("format = \"{path}\"\n");
        assertEquals(200, get("/before").statusCode());
        assertEquals(List.of("/before"), awaitLines(log(), 1));
        Path rotated = dir.resolve("logs/access.log.1");
        Files.move(log(), rotated);
        assertEquals(200, get("/moved").statusCode()); // still the open file, now access.log.1
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(rotated).size() == 2);
        sluice.server.runtime().accessLogs().reopen(); // what SIGUSR1 calls (see AccessLogSignalTest)
        assertEquals(200, get("/after").statusCode());
        assertEquals(List.of("/after"), awaitLines(log(), 1));
        assertEquals(List.of("/before", "/moved"), Files.readAllLines(rotated));
    }

    @Test
    void aGracefulStopWritesEveryLine() throws Exception {
        start("format = \"{path}\"\nbufferingSize = 100000\n");
        int n = 300;
        for (int i = 0; i < n; i++) {
            // Connection: close, so that the graceful stop has no idle keep-alive connection to wait for.
            assertEquals(200, get("/n" + i, "Connection", "close").statusCode());
        }
        sluice.server.close(); // graceful, as on SIGTERM: exchanges end, then the log writes what is queued and closes
        sluice = null;
        List<String> lines = Files.readAllLines(log());
        // Lines come in the order exchanges end: one's end may be reported after the next one's answer.
        assertEquals(java.util.stream.IntStream.range(0, n).mapToObj(i -> "/n" + i).sorted().toList(),
                lines.stream().sorted().toList());
    }

    @Test
    void aReloadThatMovesTheFileLosesNoLine() throws Exception {
        start("format = \"{path}\"\n");
        Path moved = dir.resolve("other/next.log");
        int before = 20;
        for (int i = 0; i < before; i++) {
            assertEquals(200, get("/a" + i).statusCode());
        }
        // Requests keep coming while the configuration changes (another file, another format).
        java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger(before);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread traffic = new Thread(() -> {
            for (int i = 0; i < 2_000 && !stop.get(); i++) {
                try {
                    if (get("/c" + i).statusCode() == 200) {
                        answered.incrementAndGet();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        });
        traffic.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() > before + 10);
        sluice.server.reload(ConfigLoader.parse(config("format = \"{path} json-less\"\n").replace(log().toString(), moved.toString()),
                "test.toml"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(moved) && Files.readAllLines(moved).size() > 10);
        stop.set(true);
        traffic.join(20_000);
        // The client can read its answer before the exchange's end reaches the log; closeNow() would
        // cut that last exchange, so wait for the lines (bounded) before closing.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.readAllLines(log()).size() + Files.readAllLines(moved).size() >= answered.get());
        sluice.close();
        sluice = null;
        List<String> old = Files.readAllLines(log());
        List<String> next = Files.readAllLines(moved);
        assertEquals(answered.get(), old.size() + next.size(), "every answered request has its line, in one file or the other");
        assertTrue(next.stream().allMatch(l -> l.endsWith(" json-less") || !l.contains(" ")), next.toString());
        assertTrue(old.stream().noneMatch(l -> l.contains(" ")), "the old file has only old-format lines");
    }

    @Test
    void aFileThatCannotBeOpenedFailsTheReloadAndTheOldLogKeepsWriting() throws Exception {
        start("format = \"{path}\"\n");
        Files.writeString(dir.resolve("blocker"), "a file where a directory should be");
        String bad = config("format = \"{path}\"\n").replace(log().toString(), dir.resolve("blocker/access.log").toString());
        try {
            sluice.server.reload(ConfigLoader.parse(bad, "test.toml"));
            throw new AssertionError("the reload should fail");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().startsWith("accessLog.filePath: cannot open"), e.getMessage());
        }
        assertEquals(200, get("/still").statusCode());
        assertEquals(List.of("/still"), awaitLines(log(), 1));
    }
}
