package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The example configurations in conf/ load and behave as their comments say, so they never rot. */
class ConfExamplesTest {
    private static final Path CONF = Path.of("..", "conf");
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), uri + " -> " + response.body());
        return response.body();
    }

    @Test
    void quickstartAlternatesBetweenItsTwoSites() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(CONF.resolve("quickstart.toml")));
        // The sites first, on ports the OS picks; then the proxy, pointed at wherever they landed.
        try (Sluice sites = Sluice.start(Configs.entryPointsOnLoopback(config, Set.of("site-a", "site-b")))) {
            SluiceConfig web = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")), url -> url
                    .replace(":8081", ":" + sites.port("site-a"))
                    .replace(":8082", ":" + sites.port("site-b")));
            try (Sluice proxy = Sluice.start(web)) {
                URI uri = URI.create("http://127.0.0.1:" + proxy.port("web") + "/");
                String first = get(uri);
                String second = get(uri);
                String third = get(uri);
                assertTrue(first.contains("site A") && second.contains("site B") && third.contains("site A"),
                        "curl alternates: " + first + second + third);
            }
        }
    }

    @Test
    void httpBasicsRoutesAsAnnotated() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(CONF.resolve("http-basics.toml")));
        try (Backend a = new Backend("9001"); Backend b = new Backend("9002"); Backend canary = new Backend("9003");
                Backend h2 = new Backend("9004")) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web", "internal")), url -> url
                    .replace("127.0.0.1:9001", "127.0.0.1:" + a.port())
                    .replace("127.0.0.1:9002", "127.0.0.1:" + b.port())
                    .replace("127.0.0.1:9003", "127.0.0.1:" + canary.port())
                    .replace("127.0.0.1:9004", "127.0.0.1:" + h2.port()));
            try (Sluice sluice = Sluice.start(local)) {
                String web = "http://127.0.0.1:" + sluice.port("web");
                StringBuilder spread = new StringBuilder();
                for (int i = 0; i < 4; i++) {
                    spread.append(get(URI.create(web + "/v1/users"), "Host", "api.example.com")).append(' ');
                }
                assertEquals("9001 9001 9002 9001 ", spread.toString(), "weights 3:1");
                Backend.Seen seen = a.take();
                assertEquals("/users", seen.pathQuery());
                assertEquals("/v1", seen.headers().get("X-Forwarded-Prefix"));

                HttpResponse<String> write = client.send(HttpRequest.newBuilder(URI.create(web + "/anything"))
                        .header("Host", "api.example.com").DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("9001", write.body(), "api-writes has priority 1000");

                // p2c picks one of the two at random: each answer is checked against the server that gave
                // it, until both have answered (64 tries: both missing one server has a chance of 2^-63).
                Set<String> answered = new java.util.HashSet<>();
                for (int i = 0; i < 64 && answered.size() < 2; i++) {
                    String viaCanary = get(URI.create(web + "/orders?canary"));
                    answered.add(viaCanary);
                    if (viaCanary.equals("9003")) {
                        Backend.Seen seen3 = canary.take();
                        assertEquals("/canary/orders?canary", seen3.pathQuery(), "preservePath");
                        assertEquals("127.0.0.1:" + canary.port(), seen3.headers().get("Host"), "passHostHeader = false");
                    } else {
                        assertEquals("9004", viaCanary);
                        Backend.Seen seen4 = h2.take();
                        assertEquals("/orders?canary", seen4.pathQuery(), "no preservePath on this server");
                        assertEquals("HTTP/2.0", seen4.version(), "h2c by prior knowledge");
                    }
                }
                assertEquals(Set.of("9003", "9004"), answered, "both canary servers answered");
                assertTrue(get(URI.create(web + "/index.html")).contains("site A"), "assets come from the static service");
                assertTrue(get(URI.create("http://127.0.0.1:" + sluice.port("internal") + "/x")).matches("900[12]"),
                        "the internal entry point reaches the api service");
            }
        }
    }

    @Test
    void servicesExampleBehavesAsCommented() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(CONF.resolve("services.toml")));
        Backend[] backends = new Backend[5];
        try {
            for (int i = 0; i < backends.length; i++) {
                backends[i] = new Backend("900" + (i + 1));
            }
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")), url -> {
                for (int i = 0; i < backends.length; i++) {
                    url = url.replace("127.0.0.1:900" + (i + 1), "127.0.0.1:" + backends[i].port());
                }
                return url;
            });
            try (Sluice sluice = Sluice.start(local)) {
                String web = "http://127.0.0.1:" + sluice.port("web");
                // New clients: 9 in 10 to stable (9001/9002), 1 in 10 to the canary (9004), each told its cookie.
                int canary = 0;
                for (int i = 0; i < 20; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(web + "/")).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode());
                    assertTrue(r.headers().firstValue("Set-Cookie").orElse("").startsWith("app_affinity="), r.headers().toString());
                    canary += r.body().equals("9004") ? 1 : 0;
                }
                assertEquals(2, canary, "weights 9:1 over 20 new clients");
                // The same session always reaches the same server.
                String first = get(URI.create(web + "/users/7"), "Cookie", "session=abc");
                for (int i = 0; i < 5; i++) {
                    assertEquals(first, get(URI.create(web + "/users/7"), "Cookie", "session=abc"));
                }
                // 10 % of /api is mirrored to the shadow.
                for (int i = 0; i < 30; i++) {
                    get(URI.create(web + "/api/x"));
                }
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                        .until(() -> backends[4].received() >= 3);
            }
        } finally {
            for (Backend backend : backends) {
                if (backend != null) {
                    backend.close();
                }
            }
        }
    }
    @Test
    void websocketExampleChecksTheHandshakeAndPinsTheServer() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(CONF.resolve("websocket.toml")));
        assertEquals(java.time.Duration.ofMinutes(10),
                config.http().serversTransports().get("sockets").forwardingTimeouts().tunnelIdleTimeout());
        try (WsBackend a = new WsBackend("9101"); WsBackend b = new WsBackend("9102")) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")), url -> url
                    .replace("http://127.0.0.1:9101", a.url())
                    .replace("http://127.0.0.1:9102", b.url()));
            org.eclipse.jetty.websocket.client.WebSocketClient ws = new org.eclipse.jetty.websocket.client.WebSocketClient();
            ws.start();
            try (Sluice sluice = Sluice.start(local)) {
                URI chat = URI.create("ws://127.0.0.1:" + sluice.port("web") + "/chat/ws");
                java.util.concurrent.ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class,
                        () -> ws.connect(new WsClientSocket(), chat).get(10, java.util.concurrent.TimeUnit.SECONDS));
                assertTrue(refused.getMessage().contains("401"), refused.getMessage());

                List<String> cookies = new java.util.ArrayList<>();
                org.eclipse.jetty.websocket.client.ClientUpgradeRequest request = new org.eclipse.jetty.websocket.client.ClientUpgradeRequest();
                request.setHeader("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("ann:pw".getBytes()));
                WsClientSocket socket = new WsClientSocket();
                ws.connect(socket, chat, request, new org.eclipse.jetty.websocket.client.JettyUpgradeListener() {
                    @Override
                    public void onHandshakeResponse(org.eclipse.jetty.client.Request req, org.eclipse.jetty.client.Response res) {
                        cookies.addAll(res.getHeaders().getValuesList("Set-Cookie"));
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
                socket.session.sendText("whoami", org.eclipse.jetty.websocket.api.Callback.NOOP);
                String server = socket.nextText();
                assertTrue(server.equals("9101") || server.equals("9102"), server);
                assertTrue(cookies.stream().anyMatch(c -> c.startsWith("chat_server=")), "sticky cookie on the 101: " + cookies);
                socket.session.close();
            } finally {
                ws.stop();
            }
        }
    }
}
