package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing, balancing and header behaviour over real sockets: real backends, real Sluice, JDK client. */
class ProxyTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Backend a;
    private Backend b;
    private Backend c;
    private Sluice sluice;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sluice, a, b, c}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private void backends() throws Exception {
        a = new Backend("a");
        b = new Backend("b");
        c = new Backend("c");
    }

    private HttpResponse<String> get(String entryPoint, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri(entryPoint, path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void weightedRoundRobinFollowsWeightsOverTheWire() throws Exception {
        backends();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                weight = 3
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url(), b.url()));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(get("web", "/").body());
        }
        // Smooth WRR with weights 3:1 is a a b a, repeated.
        assertEquals("aabaaaba", order.toString());
    }

    @Test
    void randomAndP2cSpreadOverAllServers() throws Exception {
        backends();
        for (String strategy : new String[] {"random", "p2c"}) {
            sluice = Sluice.start("""
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [http.routers.r]
                    rule = "PathPrefix(`/`)"
                    service = "s"
                    [http.services.s.loadBalancer]
                    strategy = "%s"
                    servers = [{url = "%s"}, {url = "%s"}, {url = "%s"}]
                    """.formatted(strategy, a.url(), b.url(), c.url()));
            Map<String, Integer> counts = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                counts.merge(get("web", "/").body(), 1, Integer::sum);
            }
            assertEquals(3, counts.size(), strategy + " used every server: " + counts);
            counts.values().forEach(n -> assertTrue(n > 40, strategy + " spread evenly enough: " + counts));
            sluice.close();
            sluice = null;
        }
    }

    @Test
    void p2cAvoidsTheServerThatIsBusy() throws Exception {
        backends();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                strategy = "p2c"
                servers = [{url = "%s"}, {url = "%s"}]
                """.formatted(a.url(), b.url()));
        // Park requests on whichever server gets them: /hold answers only after release(). With two
        // servers p2c always compares both, so five parked requests split exactly 3/2.
        var held = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<Void>>>();
        for (int i = 0; i < 5; i++) {
            held.add(client.sendAsync(HttpRequest.newBuilder(sluice.uri("web", "/hold")).build(), HttpResponse.BodyHandlers.discarding()));
            int parked = i + 1;
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> inFlight("s") == parked);
        }
        int busyA = inFlightOf(a);
        int busyB = inFlightOf(b);
        assertEquals(Set.of(2, 3), Set.of(busyA, busyB), "five parked requests split 3/2");
        String lessBusy = busyA < busyB ? "a" : "b";
        for (int i = 0; i < 5; i++) {
            assertEquals(lessBusy, get("web", "/").body(), "new requests go to the less busy server");
        }
        a.release();
        b.release();
        for (var f : held) {
            assertEquals(200, f.get().statusCode());
        }
    }

    private int inFlight(String service) {
        var lb = (dev.sluice.proxy.service.LoadBalancer) sluice.server.runtime().current().service(service);
        return lb.servers().stream().mapToInt(dev.sluice.proxy.service.Server::inFlight).sum();
    }

    private int inFlightOf(Backend backend) {
        var lb = (dev.sluice.proxy.service.LoadBalancer) sluice.server.runtime().current().service("s");
        return lb.servers().stream().filter(s -> s.url().equals(backend.url())).findFirst().orElseThrow().inFlight();
    }

    @Test
    void matchersPriorityAndEntryPoints() throws Exception {
        backends();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.admin]
                address = "127.0.0.1:0"

                [http.routers.catchall]
                entryPoints = ["web"]
                rule = "PathPrefix(`/`)"
                service = "a"
                [http.routers.api]
                rule = "Host(`api.example.com`) && PathPrefix(`/v1`)"
                service = "b"
                [http.routers.api-post]
                rule = "Host(`api.example.com`) && Method(`POST`)"
                priority = 1000
                service = "c"
                [http.routers.beta]
                rule = "Header(`X-Beta`, `1`) || Query(`beta`, `yes`)"
                service = "c"
                [http.routers.internal]
                entryPoints = ["admin"]
                rule = "ClientIP(`127.0.0.0/8`) && !PathRegexp(`^/secret`)"
                service = "b"

                [http.services.a.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.b.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.c.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(a.url(), b.url(), c.url()));
        assertEquals("a", get("web", "/").body());
        assertEquals("b", get("web", "/v1/users", "Host", "API.example.com:8080").body(), "host is case-insensitive, port ignored");
        assertEquals("a", get("web", "/v2/users", "Host", "api.example.com").body());
        assertEquals("c", get("web", "/?beta=yes").body());
        assertEquals("c", get("web", "/", "X-Beta", "1").body());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(sluice.uri("web", "/v1/x")).header("Host", "api.example.com")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("c", post.body(), "explicit priority beats the longer rule");
        assertEquals("b", get("admin", "/anything").body(), "admin entry point has its own routers");
        assertEquals("c", get("admin", "/secret?beta=yes").body(), "routers without entryPoints listen on all of them");
        HttpResponse<String> secret = get("admin", "/secret");
        assertEquals(404, secret.statusCode());
        assertEquals("404 page not found\n", secret.body());
    }

    @Test
    void forwardedHeadersAreRebuiltForUntrustedPeers() throws Exception {
        backends();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.trusting]
                address = "127.0.0.1:0"
                [entryPoints.trusting.forwardedHeaders]
                trustedIPs = ["127.0.0.1/32", "::1"]
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(a.url()));
        String[] forged = {"X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil.example", "X-Forwarded-Proto", "https",
                "X-Real-Ip", "6.6.6.6", "X-Forwarded-Prefix", "/evil", "Host", "shop.example:8080"};

        get("web", "/", forged);
        Backend.Seen untrusted = a.take();
        assertEquals("127.0.0.1", untrusted.headers().get("X-Forwarded-For"));
        assertEquals("127.0.0.1", untrusted.headers().get("X-Real-Ip"));
        assertEquals("shop.example:8080", untrusted.headers().get("X-Forwarded-Host"));
        assertEquals("http", untrusted.headers().get("X-Forwarded-Proto"));
        assertEquals("8080", untrusted.headers().get("X-Forwarded-Port"));
        assertTrue(untrusted.headers().contains("X-Forwarded-Server"));
        assertNull(untrusted.headers().get("X-Forwarded-Prefix"));
        assertEquals("shop.example:8080", untrusted.headers().get("Host"), "passHostHeader defaults to true");

        get("trusting", "/", forged);
        Backend.Seen trusted = a.take();
        assertEquals("6.6.6.6, 127.0.0.1", trusted.headers().get("X-Forwarded-For"));
        assertEquals("evil.example", trusted.headers().get("X-Forwarded-Host"));
        assertEquals("https", trusted.headers().get("X-Forwarded-Proto"));
        assertEquals("6.6.6.6", trusted.headers().get("X-Real-Ip"));
        assertEquals("/evil", trusted.headers().get("X-Forwarded-Prefix"));
    }

    @Test
    void hopByHopHeadersAreRemoved() throws Exception {
        backends();
        sluice = Sluice.start(oneService(a.url(), ""));
        get("web", "/", "Connection", "X-Secret-Hop", "X-Secret-Hop", "1", "Keep-Alive", "timeout=5", "X-Kept", "yes",
                "Proxy-Authorization", "Basic eA==");
        Backend.Seen seen = a.take();
        assertFalse(seen.headers().contains("X-Secret-Hop"));
        assertFalse(seen.headers().contains("Keep-Alive"));
        assertFalse(seen.headers().contains("Proxy-Authorization"));
        assertEquals("yes", seen.headers().get("X-Kept"));
        assertFalse(seen.headers().contains("User-Agent") && seen.headers().get("User-Agent").startsWith("Jetty"),
                "no User-Agent of the proxy's own");
    }

    @Test
    void passHostHeaderFalseSendsTheServerHost() throws Exception {
        backends();
        sluice = Sluice.start(oneService(a.url(), "passHostHeader = false"));
        get("web", "/", "Host", "public.example");
        Backend.Seen seen = a.take();
        assertEquals("127.0.0.1:" + a.port(), seen.headers().get("Host"));
        assertEquals("public.example", seen.headers().get("X-Forwarded-Host"));
    }

    @Test
    void pathAndQueryGoUpstreamByteForByte() throws Exception {
        backends();
        sluice = Sluice.start(oneService(a.url(), ""));
        String raw = "/a%20b/caf%C3%A9/x%2Fy;p=1/%7Euser?q=%3D%26&z=a+b&empty=&flag";
        get("web", raw);
        assertEquals(raw, a.take().pathQuery());
    }

    @Test
    void preservePathJoinsTheServerPath() throws Exception {
        backends();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.routers.r2]
                rule = "PathPrefix(`/plain`)"
                service = "plain"
                [http.services.s.loadBalancer]
                servers = [{url = "%s/base/", preservePath = true}]
                [http.services.plain.loadBalancer]
                servers = [{url = "%s/ignored"}]
                """.formatted(a.url(), b.url()));
        get("web", "/users?id=1");
        assertEquals("/base/users?id=1", a.take().pathQuery());
        get("web", "/plain/x");
        assertEquals("/plain/x", b.take().pathQuery(), "without preservePath only the origin counts");
    }

    @Test
    void stripPrefixMiddlewareTellsTheUpstream() throws Exception {
        backends();
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/v1`)"
                service = "s"
                middlewares = ["strip", "add"]
                [http.middlewares.strip.stripPrefix]
                prefixes = ["/v1"]
                [http.middlewares.add.addPrefix]
                prefix = "/api"
                [http.services.s.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(a.url()));
        get("web", "/v1/users?x=1");
        Backend.Seen seen = a.take();
        assertEquals("/api/users?x=1", seen.pathQuery());
        assertEquals("/v1", seen.headers().get("X-Forwarded-Prefix"));
    }

    static String oneService(String url, String extra) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                %s
                servers = [{url = "%s"}]
                """.formatted(extra, url);
    }

}
