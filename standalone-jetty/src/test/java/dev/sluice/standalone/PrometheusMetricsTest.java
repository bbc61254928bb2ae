package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.tls.Certs;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.runtime.ConfigWatcher;

/**
 * {@code [metrics.prometheus]} end to end: real backends, a real Sluice, known traffic from a real
 * client, then the real endpoint scraped over HTTP and its text parsed, family by family.
 */
class PrometheusMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Backend backend;
    private Sluice sluice;
    private Scrapes scrapes;

    @BeforeEach
    void backend() throws Exception {
        backend = new Backend("app");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {scrapes, sluice, backend}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private MetricsText start(String metrics, String dynamic) throws Exception {
        boot(metrics, dynamic);
        return scrapes.scrape();
    }

    private void boot(String metrics, String dynamic) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.traefik]
                address = "127.0.0.1:0"
                """ + metrics + dynamic);
        // The real endpoint: prometheus@internal behind its router on the traefik entry point.
        scrapes = Scrapes.of(sluice.uri("traefik", "/metrics"));
    }

    private String routerTo(String url) {
        return routerTo(url, "");
    }

    private String routerTo(String url, String middleware) {
        return """
                [http.routers.app]
                rule = "PathPrefix(`/respond`) || PathPrefix(`/upload`) || PathPrefix(`/health`) || PathPrefix(`/plain`)"
                service = "app"
                middlewares = [%s]
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                """.formatted(middleware.isEmpty() ? "" : "\"" + middleware + "\"", url);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return client.send(HttpRequest.newBuilder(sluice.uri("web", path)).method(method, publisher).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The scrape once {@code name} with these labels sums to {@code expected} (exchanges are counted once over, after the client's answer). */
    private MetricsText awaitSum(double expected, String name, String... labels) {
        MetricsText[] last = new MetricsText[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            last[0] = scrapes.scrape();
            return last[0].sum(name, labels) == expected;
        });
        return last[0];
    }

    @Test
    void knownTrafficGivesExactCountsDurationsAndBytes() throws Exception {
        start("[metrics.prometheus]\naddRoutersLabels = true\n", routerTo(backend.url()));
        for (int i = 0; i < 7; i++) {
            assertEquals("hello", send("GET", "/respond?body=hello", null).body());
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send("POST", "/upload", "eleven byte").statusCode());
        }
        MetricsText m = awaitSum(10, "sluice_entrypoint_requests_total", "entrypoint", "web");
        String[] get = {"code", "200", "method", "GET", "protocol", "http"};
        assertEquals(7, m.value("sluice_entrypoint_requests_total", with(get, "entrypoint", "web")));
        assertEquals(7, m.value("sluice_router_requests_total", with(get, "router", "app", "service", "app")));
        assertEquals(7, m.value("sluice_service_requests_total", with(get, "service", "app")));
        assertEquals(7, m.value("sluice_entrypoint_request_duration_seconds_count", with(get, "entrypoint", "web")));
        assertEquals(7, m.value("sluice_service_request_duration_seconds_bucket", with(get, "service", "app", "le", "+Inf")));
        assertEquals(List.of("0.1", "0.3", "1.2", "5.0", "+Inf"), m.find("sluice_entrypoint_request_duration_seconds_bucket",
                with(get, "entrypoint", "web")).stream().map(s -> s.labels().get("le")).toList());
        assertTrue(m.value("sluice_entrypoint_request_duration_seconds_sum", with(get, "entrypoint", "web")) > 0);
        assertEquals(7 * 5, m.value("sluice_entrypoint_responses_bytes_total", with(get, "entrypoint", "web")));
        assertEquals(0, m.value("sluice_entrypoint_requests_bytes_total", with(get, "entrypoint", "web")));
        String[] post = {"code", "200", "method", "POST", "protocol", "http"};
        assertEquals(3, m.value("sluice_service_requests_total", with(post, "service", "app")));
        assertEquals(3 * 11, m.value("sluice_router_requests_bytes_total", with(post, "router", "app", "service", "app")));
        assertEquals(3 * 11, m.value("sluice_service_requests_bytes_total", with(post, "service", "app")));
        assertEquals("counter", m.types.get("sluice_entrypoint_requests_total"));
        assertEquals("histogram", m.types.get("sluice_router_request_duration_seconds"));

        // No router: counted on the entry point only.
        assertEquals(404, send("GET", "/nothing", null).statusCode());
        m = awaitSum(1, "sluice_entrypoint_requests_total", "code", "404");
        assertEquals(0, m.sum("sluice_router_requests_total", "code", "404"));
        assertEquals(0, m.sum("sluice_service_requests_total", "code", "404"));
    }

    @Test
    void prefixTraefikGivesExactlyTraefiksNames() throws Exception {
        long before = System.currentTimeMillis() / 1000;
        start("[metrics.prometheus]\nprefix = \"traefik\"\naddRoutersLabels = true\n", routerTo(backend.url()));
        assertEquals(200, send("GET", "/respond?body=x", null).statusCode());
        MetricsText m = awaitSum(1, "traefik_entrypoint_requests_total");
        for (String name : List.of("traefik_config_reloads_total", "traefik_config_last_reload_success", "traefik_open_connections",
                "traefik_entrypoint_requests_total", "traefik_entrypoint_request_duration_seconds_bucket",
                "traefik_entrypoint_requests_bytes_total", "traefik_entrypoint_responses_bytes_total", "traefik_router_requests_total",
                "traefik_router_request_duration_seconds_count", "traefik_router_requests_bytes_total",
                "traefik_router_responses_bytes_total", "traefik_service_requests_total", "traefik_service_request_duration_seconds_sum",
                "traefik_service_requests_bytes_total", "traefik_service_responses_bytes_total", "traefik_service_server_up")) {
            assertTrue(m.hasName(name), name + " missing from\n" + m.text);
        }
        assertTrue(m.samples.stream().noneMatch(sample -> sample.name().startsWith("sluice_")), m.text);
        assertEquals(1, m.value("traefik_config_reloads_total"));
        double lastReload = m.value("traefik_config_last_reload_success");
        assertTrue(lastReload >= before && lastReload <= System.currentTimeMillis() / 1000.0 + 1, "last reload at " + lastReload);
        assertEquals(1, m.value("traefik_service_server_up", "service", "app", "url", backend.url()));
        assertEquals(1, m.value("traefik_open_connections", "entrypoint", "web", "protocol", "TCP"));
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        start("[metrics.prometheus]\n", routerTo(backend.url()));
        assertEquals(200, send("GET", "/respond?body=x", null).statusCode());
        awaitSum(1, "sluice_entrypoint_requests_total");
        HttpResponse<String> open = scrapes.get("application/openmetrics-text; version=1.0.0; charset=utf-8,text/plain;q=0.5");
        assertTrue(open.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text; version=1.0.0"),
                open.headers().toString());
        assertTrue(open.body().endsWith("# EOF\n"), open.body());
        assertTrue(open.body().contains("# TYPE sluice_entrypoint_requests counter\n"), open.body());
        assertEquals(1, MetricsText.parse(open.body()).sum("sluice_entrypoint_requests_total", "entrypoint", "web"));
        HttpResponse<String> text = scrapes.get(null);
        assertEquals("text/plain; version=0.0.4; charset=utf-8", text.headers().firstValue("Content-Type").orElse(""));
        assertFalse(text.body().contains("# EOF"));
    }

    @Test
    void serverUpFollowsItsHealthCheck() throws Exception {
        start("[metrics.prometheus]\n", routerTo(backend.url()) + """
                [http.services.app.loadBalancer.healthCheck]
                path = "/health"
                interval = "100ms"
                timeout = "2s"
                """);
        String[] server = {"service", "app", "url", backend.url()};
        awaitSum(1, "sluice_service_server_up", server);
        backend.health(500);
        MetricsText m = awaitSum(0, "sluice_service_server_up", server);
        assertTrue(m.value("sluice_service_server_checks_total", with(server, "result", "down")) >= 1, m.text);
        assertTrue(m.value("sluice_service_server_checks_total", with(server, "result", "up")) >= 1, m.text);
        backend.health(200);
        awaitSum(1, "sluice_service_server_up", server);
    }

    @Test
    void refusalsOfProtectingMiddlewaresAreCountedAndNeverReachTheService() throws Exception {
        start("[metrics.prometheus]\n", routerTo(backend.url(), "limit") + """
                [http.middlewares.limit.rateLimit]
                average = 1
                period = "1m"
                burst = 1
                """);
        assertEquals(200, send("GET", "/respond?body=x", null).statusCode());
        assertEquals(429, send("GET", "/respond?body=x", null).statusCode());
        assertEquals(429, send("GET", "/respond?body=x", null).statusCode());
        MetricsText m = awaitSum(2, "sluice_middleware_requests_refused_total", "middleware", "limit", "type", "rateLimit");
        awaitSum(3, "sluice_entrypoint_requests_total");
        m = scrapes.scrape();
        assertEquals(2, m.value("sluice_entrypoint_requests_total", "code", "429"));
        assertEquals(0, m.sum("sluice_service_requests_total", "code", "429"));
        assertEquals(1, m.value("sluice_service_requests_total", "code", "200"));
    }

    @Test
    void headerLabelsOnTheRequestCounters() throws Exception {
        start("[metrics.prometheus]\n[metrics.prometheus.headerLabels]\nuseragent = \"User-Agent\"\n", routerTo(backend.url()));
        client.send(HttpRequest.newBuilder(sluice.uri("web", "/respond?body=x")).header("User-Agent", "probe/1").build(),
                HttpResponse.BodyHandlers.ofString());
        client.send(HttpRequest.newBuilder(sluice.uri("web", "/respond?body=x")).header("User-Agent", "probe/1").build(),
                HttpResponse.BodyHandlers.ofString());
        MetricsText m = awaitSum(2, "sluice_entrypoint_requests_total", "useragent", "probe/1");
        assertEquals(2, m.value("sluice_service_requests_total", "service", "app", "useragent", "probe/1"));
        assertTrue(m.find("sluice_entrypoint_request_duration_seconds_count").stream().noneMatch(s -> s.labels().containsKey("useragent")));
    }

    @Test
    void jvmMemoryGcAndThreads() throws Exception {
        MetricsText m = start("[metrics.prometheus]\n", "");
        assertTrue(m.value("jvm_memory_used_bytes", "area", "heap") > 0, m.text);
        assertTrue(m.value("jvm_threads_current") > 0);
        assertEquals("summary", m.types.get("jvm_gc_collection_seconds"));
        assertTrue(m.hasName("process_cpu_seconds_total"));
    }

    @Test
    void certificatesExpiry() throws Exception {
        Path pem = Path.of("../conf/certs/example.com.pem").toAbsolutePath();
        MetricsText m = start("[metrics.prometheus]\n", """
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(pem, pem.resolveSibling("example.com.key")));
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(pem)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertEquals(cert.getNotAfter().getTime() / 1000.0, m.value("sluice_tls_certs_not_after", "cn", "example.com", "serial",
                cert.getSerialNumber().toString(), "sans", "*.example.com,db.internal,example.com"));
    }

    @Test
    void openConnectionsOfAnHttpEntryPoint() throws Exception {
        start("[metrics.prometheus]\n", routerTo(backend.url()));
        try (Socket one = keptAlive(); Socket two = keptAlive()) {
            awaitSum(2, "sluice_open_connections", "entrypoint", "web", "protocol", "TCP");
            one.close();
            awaitSum(1, "sluice_open_connections", "entrypoint", "web", "protocol", "TCP");
        }
        awaitSum(0, "sluice_open_connections", "entrypoint", "web", "protocol", "TCP");
    }

    @Test
    void reloadsAppliedAndRejected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sluice.toml");
        String base = """
                [providers]
                providersThrottleDuration = "0s"
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.traefik]
                address = "127.0.0.1:0"
                [metrics.prometheus]
                """;
        Files.writeString(file, base + routerTo(backend.url()));
        SluiceConfig config = ConfigLoader.load(List.of(file));
        try (EmbeddedServer server = EmbeddedServer.start(config);
                ConfigWatcher watcher = ConfigWatcher.start(List.of(file), config, server::reload, server.runtime().reloads())) {
            scrapes = Scrapes.of(URI.create("http://127.0.0.1:" + server.port("traefik") + "/metrics"));
            MetricsText m = scrapes.scrape();
            assertEquals(1, m.value("sluice_config_reloads_total"));
            assertEquals(0, m.value("sluice_config_reloads_failure_total"));
            assertEquals(0, m.value("sluice_config_last_reload_failure"));

            Files.writeString(file, base + routerTo(backend.url()).replace("/health", "/healthz"));
            awaitSum(2, "sluice_config_reloads_total");
            long beforeFailure = System.currentTimeMillis() / 1000;
            Files.writeString(file, base + "[http.routers.broken]\nrule = \"PathPrefix(`/`)\"\nservice = \"nowhere\"\n");
            awaitSum(1, "sluice_config_reloads_failure_total");
            // Scraped again: one scrape reads the families one by one, so it can read the failure's time
            // before the failure and its count after it.
            m = scrapes.scrape();
            assertEquals(2, m.value("sluice_config_reloads_total"));
            assertTrue(m.value("sluice_config_last_reload_failure") >= beforeFailure, m.text);
        }
    }

    @Test
    void retriesAreCountedOnTheService() throws Exception {
        start("[metrics.prometheus]\n", routerTo(backend.url(), "retry") + """
                [http.middlewares.retry.retry]
                attempts = 3
                status = ["500"]
                """);
        backend.failNext(2);
        assertEquals(200, send("GET", "/plain", null).statusCode());
        MetricsText m = awaitSum(2, "sluice_service_retries_total", "service", "app");
        assertEquals(1, m.value("sluice_service_requests_total", "code", "200", "service", "app"));
        assertEquals(3, backend.received(), "two failed tries and the good one");
    }

    @Test
    void internalServicesAreMeasuredOnlyWithAddInternals() throws Exception {
        start("[metrics.prometheus]\n", routerTo(backend.url()));
        scrapes.scrape();
        scrapes.scrape();
        MetricsText m = scrapes.scrape();
        assertEquals(0, m.sum("sluice_entrypoint_requests_total", "entrypoint", "traefik"), m.text);
        scrapes.close();
        sluice.close();

        start("[metrics]\naddInternals = true\n[metrics.prometheus]\naddRoutersLabels = true\n", routerTo(backend.url()));
        scrapes.scrape();
        m = awaitSum(2, "sluice_router_requests_total", "router", "prometheus@internal", "service", "prometheus@internal");
        assertTrue(m.sum("sluice_entrypoint_requests_total", "entrypoint", "traefik", "code", "200") >= 2, m.text);
    }

    @Test
    void manualRoutingServesTheMetricsOnlyThroughTheUsersRouters() throws Exception {
        boot("[metrics.prometheus]\nmanualRouting = true\n", routerTo(backend.url()) + """
                [http.routers.stats]
                rule = "Path(`/stats`)"
                service = "prometheus@internal"
                entryPoints = ["web"]
                middlewares = ["auth"]
                [http.middlewares.auth.basicAuth]
                users = ["ops:$apr1$eYmNeOxt$eMpx2MYy47JIlWosopzQk."]
                """);
        assertEquals(404, client.send(HttpRequest.newBuilder(sluice.uri("traefik", "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "no implicit router with manualRouting");
        assertEquals(401, send("GET", "/stats", null).statusCode());
        HttpResponse<String> stats = client.send(HttpRequest.newBuilder(sluice.uri("web", "/stats"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("ops:secret".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stats.statusCode());
        assertEquals(1, MetricsText.parse(stats.body()).value("sluice_config_reloads_total"));
    }

    @Test
    void tcpAndUdpRoutersCountSessionsAndBytes() throws Exception {
        try (java.net.ServerSocket echo = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                UdpNameServer dns = new UdpNameServer("dns")) {
            Thread echoing = new Thread(() -> {
                while (!echo.isClosed()) {
                    try (Socket socket = echo.accept()) {
                        socket.getInputStream().transferTo(socket.getOutputStream()); // until the client's FIN
                    } catch (java.io.IOException e) {
                        // the next one
                    }
                }
            }, "echo");
            echoing.setDaemon(true);
            echoing.start();
            boot("[metrics.prometheus]\n[entryPoints.db]\naddress = \"127.0.0.1:0/tcp\"\n"
                    + "[entryPoints.dns]\naddress = \"127.0.0.1:0/udp\"\n[entryPoints.dns.udp]\ntimeout = \"300ms\"\n", """
                    [tcp.routers.db]
                    rule = "HostSNI(`*`)"
                    service = "db"
                    entryPoints = ["db"]
                    [[tcp.services.db.loadBalancer.servers]]
                    address = "127.0.0.1:%d"
                    [udp.routers.dns]
                    service = "dns"
                    entryPoints = ["dns"]
                    [[udp.services.dns.loadBalancer.servers]]
                    address = "127.0.0.1:%d"
                    """.formatted(echo.getLocalPort(), dns.port()));
            String[] db = {"entrypoint", "db", "router", "db", "service", "db"};
            try (Socket client = new Socket("127.0.0.1", sluice.port("db"))) {
                client.setSoTimeout(10_000);
                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertEquals("hello", new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
                MetricsText m = awaitSum(1, "sluice_tcp_router_open_connections", db);
                assertEquals(1, m.value("sluice_tcp_router_connections_total", db));
                assertEquals(1, m.value("sluice_open_connections", "entrypoint", "db", "protocol", "TCP"));
                client.shutdownOutput();
                assertEquals(-1, client.getInputStream().read());
            }
            MetricsText m = awaitSum(0, "sluice_tcp_router_open_connections", db);
            assertEquals(5, m.value("sluice_tcp_router_received_bytes_total", db));
            assertEquals(5, m.value("sluice_tcp_router_sent_bytes_total", db));
            assertEquals(1, m.value("sluice_relay_sessions_ended_total", "entrypoint", "db", "protocol", "TCP", "end", "closed"));
            assertEquals(0, m.value("sluice_open_connections", "entrypoint", "db", "protocol", "TCP"));

            String[] udp = {"entrypoint", "dns", "router", "dns", "service", "dns"};
            try (java.net.DatagramSocket client = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                client.setSoTimeout(10_000);
                byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
                client.send(new java.net.DatagramPacket(ping, ping.length, java.net.InetAddress.getLoopbackAddress(), sluice.port("dns")));
                java.net.DatagramPacket answer = new java.net.DatagramPacket(new byte[64], 64);
                client.receive(answer);
                assertEquals("dns", new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII));
                awaitSum(1, "sluice_udp_router_sessions_total", udp);
            }
            // The session ends after udp.timeout without a datagram.
            awaitSum(1, "sluice_relay_sessions_ended_total", "entrypoint", "dns", "protocol", "UDP", "end", "idle");
            m = awaitSum(0, "sluice_udp_router_open_sessions", udp); // the last of a session's end to be counted
            assertEquals(4, m.value("sluice_udp_router_received_bytes_total", udp));
            assertEquals(3, m.value("sluice_udp_router_sent_bytes_total", udp));
            assertEquals(0, m.value("sluice_open_connections", "entrypoint", "dns", "protocol", "UDP"));
        }
    }

    @Test
    void tlsRequestsByVersionAndCipher() throws Exception {
        Path pem = Path.of("../conf/certs/example.com.pem").toAbsolutePath();
        boot("[metrics.prometheus]\naddRoutersLabels = true\n[entryPoints.websecure]\naddress = \"127.0.0.1:0\"\n",
                routerTo(backend.url()) + """
                [http.routers.secure]
                rule = "PathPrefix(`/respond`)"
                service = "app"
                entryPoints = ["websecure"]
                [http.routers.secure.tls]
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(pem, pem.resolveSibling("example.com.key")));
        HttpsClient https = HttpsClient.connect(sluice.port("websecure"), "example.com", Certs.trustingEverything(), "TLSv1.3");
        assertEquals(200, https.get("example.com", "/respond?body=x").status());
        assertEquals(200, https.get("example.com", "/respond?body=x").status());
        MetricsText m = awaitSum(2, "sluice_entrypoint_requests_tls_total", "entrypoint", "websecure", "tls_version", "1.3");
        String cipher = m.find("sluice_entrypoint_requests_tls_total", "entrypoint", "websecure").get(0).labels().get("tls_cipher");
        assertTrue(cipher.startsWith("TLS_"), cipher);
        assertEquals(2, m.value("sluice_router_requests_tls_total", "router", "secure", "service", "app", "tls_version", "1.3"));
        assertEquals(2, m.value("sluice_service_requests_tls_total", "service", "app", "tls_cipher", cipher));
        assertEquals(0, m.sum("sluice_entrypoint_requests_tls_total", "entrypoint", "web"), "plain requests are not TLS ones");
    }

    /** A connection that has sent one request and read its answer, and stays open. */
    private Socket keptAlive() throws Exception {
        Socket socket = new Socket("127.0.0.1", sluice.port("web"));
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write("GET /respond?body=x HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = new byte[4096];
        StringBuilder answer = new StringBuilder();
        while (!answer.toString().endsWith("\r\n\r\nx")) {
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                throw new AssertionError("closed: " + answer);
            }
            answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
        }
        return socket;
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

}
