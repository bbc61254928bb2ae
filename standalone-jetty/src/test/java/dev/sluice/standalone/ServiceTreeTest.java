package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service tree over real sockets: health checks (active and passive), sticky cookies, weighted,
 * highestRandomWeight, failover and mirroring services, and the hashing strategies. Real Jetty
 * backends, real Sluice, the JDK client (without a cookie store: cookies are sent by hand).
 */
class ServiceTreeTest {
    /** Active checks of every test: fast, so that a change shows within about half a second. */
    private static final String HEALTH = "healthCheck = {path = \"/health\", interval = \"300ms\", timeout = \"200ms\"}";
    private static final Pattern STICKY_VALUE = Pattern.compile("[0-9a-f]{16}");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Backend> backends = new ArrayList<>();
    private Sluice sluice;

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (Backend backend : backends) {
            backend.close();
        }
    }

    private Backend backend(String name) throws Exception {
        Backend backend = new Backend(name);
        backends.add(backend);
        return backend;
    }

    /** Sluice with one entry point {@code web} and one router sending everything to {@code service}. */
    private void start(String service, String services) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "%s"
                """.formatted(service) + services);
    }

    /** A load balancer called {@code name} over {@code servers}, with extra lines. */
    private static String lb(String name, String lines, Backend... servers) {
        StringBuilder s = new StringBuilder("[http.services." + name + ".loadBalancer]\n");
        s.append("servers = [");
        for (int i = 0; i < servers.length; i++) {
            s.append(i == 0 ? "" : ", ").append("{url = \"").append(servers[i].url()).append("\"}");
        }
        s.append("]\n").append(lines).append('\n');
        return s.toString();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of {@code GET /}, which is the name of the backend that answered. */
    private String who(String... headers) throws Exception {
        HttpResponse<String> response = get("/", headers);
        assertEquals(200, response.statusCode(), response::body);
        return response.body();
    }

    /** True if {@code n} requests in a row were all answered by {@code name}. */
    private boolean allFrom(String name, int n, String... headers) throws Exception {
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = get("/", headers);
            if (response.statusCode() != 200 || !response.body().equals(name)) {
                return false;
            }
        }
        return true;
    }

    /** Who answered {@code n} requests: backend names, or {@code "HTTP <status>"} for errors. */
    private Set<String> served(int n, String... headers) throws Exception {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = get("/", headers);
            names.add(response.statusCode() == 200 ? response.body() : "HTTP " + response.statusCode());
        }
        return names;
    }

    /**
     * Waits until every one of {@code names} serves (round-robin over them): right after start, a
     * first health check that timed out on a cold JVM may have taken a server out until the next one.
     */
    private void awaitServing(String... names) {
        within(5).until(() -> served(2 * names.length).equals(Set.of(names)));
    }

    private static ConditionFactory within(int seconds) {
        return Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(50));
    }

    /** The Set-Cookie values of a response, by cookie name (value plus attributes). */
    private static Map<String, String> setCookies(HttpResponse<?> response) {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String header : response.headers().allValues("set-cookie")) {
            cookies.put(header.substring(0, header.indexOf('=')), header);
        }
        return cookies;
    }

    private static String valueOf(String setCookie) {
        int semicolon = setCookie.indexOf(';');
        return setCookie.substring(setCookie.indexOf('=') + 1, semicolon < 0 ? setCookie.length() : semicolon);
    }

    /**
     * {@code GET path} over a raw connection from the local address {@code localIp} (any 127.x
     * address works on Linux), returning the {@code X-Backend} that answered: this is how one test
     * plays many clients for the strategies that hash the client IP.
     */
    private String rawGetFrom(String localIp) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localIp, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", sluice.port("web")), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            Matcher m = Pattern.compile("(?im)^X-Backend: *(\\S+)").matcher(response);
            assertTrue(m.find(), response);
            return m.group(1);
        }
    }

    // ------------------------------------------------------------------ active health checks

    @Test
    void activeHealthCheckTakesServersOutAndBack() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", lb("s", HEALTH, a, b));
        within(3).until(() -> a.healthChecks() > 0 && b.healthChecks() > 0);
        awaitServing("a", "b");

        a.health(503);
        long flipped = System.nanoTime();
        within(3).until(() -> allFrom("b", 4));
        long outMillis = (System.nanoTime() - flipped) / 1_000_000;
        assertTrue(outMillis < 1500, "taken out within about interval + timeout, took " + outMillis + " ms");
        assertTrue(allFrom("b", 10), "all traffic goes to the healthy server");

        a.health(200);
        within(3).until(() -> served(4).equals(Set.of("a", "b")));
    }

    @Test
    void serverThatStopsIsRemovedAndNoServerLeftIs503() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", lb("s", HEALTH, a, b));
        awaitServing("a", "b");

        b.stop(); // connection refused from now on
        within(3).until(() -> allFrom("a", 4));
        assertTrue(allFrom("a", 10));

        a.stop();
        within(3).until(() -> get("/").statusCode() == 503);
        HttpResponse<String> response = get("/");
        assertEquals(503, response.statusCode());
    }

    @Test
    void healthCheckOptionsShapeTheCheckRequest() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", lb("s", """
                [http.services.s.loadBalancer.healthCheck]
                path = "/health"
                interval = "300ms"
                timeout = "200ms"
                hostname = "health.example"
                method = "HEAD"
                status = 204
                headers = {X-Check = "sluice"}
                """, a, b));
        // 200 is not the configured status: both out.
        within(3).until(() -> get("/").statusCode() == 503);
        Backend.Seen check = a.lastHealthCheck();
        assertEquals("HEAD", check.method());
        assertEquals("/health", check.pathQuery());
        assertEquals("health.example", check.headers().get("Host"));
        assertEquals("sluice", check.headers().get("X-Check"));
        a.health(204);
        within(3).until(() -> get("/").statusCode() == 200);
        assertTrue(allFrom("a", 4));
        b.health(204);
        within(3).until(() -> served(4).equals(Set.of("a", "b")));
    }

    @Test
    void grpcHealthCheck() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", """
                [http.services.s.loadBalancer]
                servers = [{url = "h2c://127.0.0.1:%d"}, {url = "%s"}]
                healthCheck = {path = "/", mode = "grpc", interval = "300ms", timeout = "200ms"}
                """.formatted(a.port(), b.url()));
        within(3).until(() -> a.healthChecks() > 0 && b.healthChecks() > 0);
        Backend.Seen check = a.lastHealthCheck();
        assertEquals("POST", check.method());
        assertEquals("/grpc.health.v1.Health/Check", check.pathQuery());
        assertEquals("HTTP/2.0", check.version());
        assertEquals("application/grpc", check.headers().get("Content-Type"));
        awaitServing("a", "b");

        a.grpcStatus(2); // NOT_SERVING
        within(3).until(() -> allFrom("b", 4));
        a.grpcStatus(1);
        within(3).until(() -> served(4).equals(Set.of("a", "b")));
    }

    // ------------------------------------------------------------------ passive health checks

    @Test
    void passiveCheckSkipsAFailingServerForTheWindow() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", lb("s", "passiveHealthCheck = {maxFailedAttempts = 1, failureWindow = \"1s\"}", a, b));
        assertEquals(Set.of("a", "b"), served(4));

        a.failNext(1);
        long failed = 0;
        for (int i = 0; i < 2 && failed == 0; i++) {
            HttpResponse<String> response = get("/");
            if (response.statusCode() == 500) {
                assertEquals("a", response.body(), "the 500 itself reaches the client: no retry");
                failed = System.nanoTime();
            }
        }
        assertTrue(failed != 0, "one of two round-robin requests went to a");
        a.forget();
        assertTrue(allFrom("b", 6), "a is out for the failure window");
        assertEquals(0, a.received());

        within(3).until(() -> who().equals("a"));
        long outMillis = (System.nanoTime() - failed) / 1_000_000;
        assertTrue(outMillis >= 900, "a came back only after the 1 s window, after " + outMillis + " ms");
        assertEquals(Set.of("a", "b"), served(4), "and is in rotation again");
    }

    @Test
    void clientThatGoesAwayIsNoFailureOfTheServer() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", lb("s", "passiveHealthCheck = {maxFailedAttempts = 1, failureWindow = \"10s\"}", a, b));
        // A client starts a big download and hangs up after the first bytes: the server did nothing wrong.
        try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /bytes?n=200000000 HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(socket.getInputStream().readNBytes(100_000).length == 100_000);
            socket.setSoLinger(true, 0); // reset, as a browser tab closed mid-download
        }
        // The proxy notices when its next write to the client fails; the upstream exchange is aborted.
        Awaitility.await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertEquals(Set.of("a", "b"), served(6), "both servers stay in rotation after a download was cut");

        // The same for an upload cut short: the body was being forwarded when the client vanished.
        try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
            socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 10000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[200_000]);
            socket.getOutputStream().flush();
            Awaitility.await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> true);
            socket.setSoLinger(true, 0);
        }
        Awaitility.await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertEquals(Set.of("a", "b"), served(6), "both servers stay in rotation after an upload was cut");
    }

    // ------------------------------------------------------------------ sticky cookies

    @Test
    void stickyCookiePinsTheClientAndMovesWhenItsServerIsUnhealthy() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", lb("s", HEALTH + """

                [http.services.s.loadBalancer.sticky.cookie]
                name = "lb"
                httpOnly = true
                sameSite = "lax"
                """, a, b));
        awaitServing("a", "b");

        HttpResponse<String> first = get("/");
        String setCookie = setCookies(first).get("lb");
        Matcher m = Pattern.compile("lb=([0-9a-f]{16}); Path=/; HttpOnly; SameSite=Lax").matcher(setCookie);
        assertTrue(m.matches(), setCookie);
        String value = m.group(1);
        for (Backend backend : List.of(a, b)) {
            assertFalse(setCookie.contains(backend.url()) || setCookie.contains(String.valueOf(backend.port()))
                    || setCookie.contains("127.0.0.1"), "the cookie does not reveal the server: " + setCookie);
        }
        String pinned = first.body();
        String other = pinned.equals("a") ? "b" : "a";
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = get("/", "Cookie", "lb=" + value);
            assertEquals(pinned, response.body());
            assertTrue(response.headers().allValues("set-cookie").isEmpty(), "a valid cookie is not set again");
        }
        // A new client is balanced as usual (round-robin: the other one) and pinned there.
        HttpResponse<String> second = get("/");
        assertEquals(other, second.body());
        String otherValue = valueOf(setCookies(second).get("lb"));
        assertNotEquals(value, otherValue);
        assertTrue(allFrom(other, 5, "Cookie", "lb=" + otherValue));

        // The pinned server fails its health check: the client moves, and gets a cookie for its new server.
        (pinned.equals("a") ? a : b).health(503);
        within(3).until(() -> get("/", "Cookie", "lb=" + value).body().equals(other));
        HttpResponse<String> moved = get("/", "Cookie", "lb=" + value);
        assertEquals(other, moved.body());
        assertEquals(otherValue, valueOf(setCookies(moved).get("lb")), "the new cookie designates the new server");
        // Back to health: the client presenting the new cookie stays where it is now.
        (pinned.equals("a") ? a : b).health(200);
        within(3).until(() -> served(4).equals(Set.of("a", "b")));
        assertTrue(allFrom(other, 5, "Cookie", "lb=" + otherValue));
        assertTrue(allFrom(pinned, 5, "Cookie", "lb=" + value), "and the old cookie works again");
    }

    @Test
    void unknownStickyValueIsBalancedAndReplaced() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("s", lb("s", "sticky = {cookie = {name = \"lb\"}}", a, b));
        HttpResponse<String> response = get("/", "Cookie", "lb=http://127.0.0.1:" + a.port());
        String value = valueOf(setCookies(response).get("lb"));
        assertTrue(STICKY_VALUE.matcher(value).matches(), value);
        assertTrue(allFrom(response.body(), 4, "Cookie", "lb=" + value));
    }

    @Test
    void defaultStickyCookieName() throws Exception {
        Backend a = backend("a");
        start("s", lb("s", "[http.services.s.loadBalancer.sticky.cookie]", a));
        HttpResponse<String> response = get("/");
        List<String> cookies = response.headers().allValues("set-cookie");
        assertEquals(1, cookies.size(), cookies::toString);
        assertTrue(cookies.get(0).matches("_[0-9a-f]{5}=[0-9a-f]{16}; Path=/"), "no flags by default: " + cookies.get(0));
    }

    @Test
    void stickyCookieAttributes() throws Exception {
        Backend a = backend("a");
        start("s", lb("s", """
                [http.services.s.loadBalancer.sticky.cookie]
                name = "lb"
                secure = true
                maxAge = 60
                path = "/app"
                domain = "example.com"
                sameSite = "none"
                """, a));
        String setCookie = get("/app/x").headers().firstValue("set-cookie").orElseThrow();
        assertTrue(setCookie.matches("lb=[0-9a-f]{16}; Path=/app; Domain=example.com; Max-Age=60; Secure; SameSite=None"), setCookie);
    }

    // ------------------------------------------------------------------ weighted

    @Test
    void weightedFollowsSmoothRoundRobin() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("w", """
                [http.services.w.weighted]
                services = [{name = "a", weight = 3}, {name = "b", weight = 1}]
                """ + lb("a", "", a) + lb("b", "", b));
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            order.append(who());
        }
        assertEquals("aabaaaba", order.toString());
    }

    /** The seed's example: stickiness at two levels, one cookie per level. */
    @Test
    void multiLevelStickiness() throws Exception {
        Backend s1 = backend("s1");
        Backend s2 = backend("s2");
        Backend s3 = backend("s3");
        Backend s4 = backend("s4");
        start("wrr1", """
                [http.services.wrr1.weighted.sticky.cookie]
                name = "lvl1"
                [[http.services.wrr1.weighted.services]]
                name = "whoami1"
                weight = 1
                [[http.services.wrr1.weighted.services]]
                name = "whoami2"
                weight = 1
                """ + lb("whoami1", "sticky.cookie.name = \"lvl2\"", s1, s2) + lb("whoami2", "sticky.cookie.name = \"lvl2\"", s3, s4));

        // Fresh clients reach every server; each gets one cookie per level.
        Map<String, String> cookieOf = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = get("/");
            Map<String, String> cookies = setCookies(response);
            assertEquals(Set.of("lvl1", "lvl2"), cookies.keySet(), response.headers().allValues("set-cookie")::toString);
            String lvl1 = valueOf(cookies.get("lvl1"));
            String lvl2 = valueOf(cookies.get("lvl2"));
            assertTrue(STICKY_VALUE.matcher(lvl1).matches() && STICKY_VALUE.matcher(lvl2).matches(), cookies.toString());
            assertFalse(cookies.toString().contains("whoami") || cookies.toString().contains("127.0.0.1"), cookies.toString());
            cookieOf.put(response.body(), "lvl1=" + lvl1 + "; lvl2=" + lvl2);
        }
        assertEquals(Set.of("s1", "s2", "s3", "s4"), cookieOf.keySet());

        // A client presenting both cookies always reaches the same server.
        for (Map.Entry<String, String> e : cookieOf.entrySet()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = get("/", "Cookie", e.getValue());
                assertEquals(e.getKey(), response.body(), e.getValue());
                assertTrue(response.headers().allValues("set-cookie").isEmpty());
            }
        }
        // Only the first level: the same child service, balanced inside it.
        String lvl1OfS3 = cookieOf.get("s3").split(";")[0];
        Set<String> reached = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            reached.add(who("Cookie", lvl1OfS3));
        }
        assertEquals(Set.of("s3", "s4"), reached);
    }

    @Test
    void weightedStickinessMovesWhenTheChildIsDown() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        start("w", """
                [http.services.w.weighted]
                healthCheck = {}
                services = [{name = "ca"}, {name = "cb"}]
                sticky.cookie.name = "lvl1"
                """ + lb("ca", HEALTH, a) + lb("cb", HEALTH, b));
        awaitServing("a", "b");
        HttpResponse<String> first = get("/");
        String cookie = "lvl1=" + valueOf(setCookies(first).get("lvl1"));
        String pinned = first.body();
        String other = pinned.equals("a") ? "b" : "a";
        assertTrue(allFrom(pinned, 5, "Cookie", cookie));

        (pinned.equals("a") ? a : b).health(503);
        within(3).until(() -> get("/", "Cookie", cookie).body().equals(other));
        HttpResponse<String> moved = get("/", "Cookie", cookie);
        String newCookie = setCookies(moved).get("lvl1");
        assertTrue(newCookie != null && !newCookie.startsWith(cookie + ";"), "a new lvl1 cookie: " + newCookie);
        assertTrue(allFrom(other, 5, "Cookie", "lvl1=" + valueOf(newCookie)));
    }

    // ------------------------------------------------------------------ highestRandomWeight

    @Test
    void highestRandomWeightKeepsEachClientIpOnOneChild() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend c = backend("c");
        start("h", """
                [http.services.h.highestRandomWeight]
                services = [{name = "a"}, {name = "b"}, {name = "c"}]
                """ + lb("a", "", a) + lb("b", "", b) + lb("c", "", c));
        assertEquals(1, served(20).size(), "one client IP, one child");
        // Other client IPs: each is stable, and together they reach more than one child.
        Set<String> children = new HashSet<>();
        for (int ip = 2; ip < 32; ip++) {
            String first = rawGetFrom("127.0.0." + ip);
            assertEquals(first, rawGetFrom("127.0.0." + ip), "client 127.0.0." + ip);
            children.add(first);
        }
        assertTrue(children.size() >= 2, "30 client IPs spread over children: " + children);
    }

    // ------------------------------------------------------------------ failover

    @Test
    void failoverFollowsTheMainServicesHealth() throws Exception {
        Backend main = backend("main");
        Backend fallback = backend("fallback");
        start("f", """
                [http.services.f.failover]
                service = "m"
                fallback = "fb"
                """ + lb("m", HEALTH, main) + lb("fb", "", fallback));
        within(5).until(() -> allFrom("main", 4));

        main.health(503);
        within(3).until(() -> who().equals("fallback"));
        main.forget();
        assertTrue(allFrom("fallback", 5));
        assertEquals(0, main.received(), "nothing reaches the main service while it is down");

        main.health(200);
        within(3).until(() -> who().equals("main"));
        assertTrue(allFrom("main", 5));
    }

    @Test
    void failoverWithHealthCheckUnderWeightedLoadsAndPropagates() throws Exception {
        Backend main = backend("main");
        Backend fallback = backend("fallback");
        start("top", """
                [http.services.top.weighted]
                healthCheck = {}
                services = [{name = "f"}]
                [http.services.f.failover]
                healthCheck = {}
                service = "m"
                fallback = "fb"
                errors = {status = ["500-504"], maxRequestBodyBytes = 1024}
                """ + lb("m", HEALTH, main) + lb("fb", HEALTH, fallback));
        within(5).until(() -> allFrom("main", 4));
        main.health(503);
        within(3).until(() -> who().equals("fallback"));
        // Both down: the failover reports down to the weighted parent, which has nothing left.
        fallback.health(503);
        within(3).until(() -> get("/").statusCode() == 503);
        fallback.health(200);
        within(3).until(() -> get("/").statusCode() == 200);
        assertEquals("fallback", who());
    }

    @Test
    void failoverErrorsReplayTheRequestOnTheFallback() throws Exception {
        Backend main = backend("main");
        Backend fallback = backend("fallback");
        start("f", """
                [http.services.f.failover]
                service = "m"
                fallback = "fb"
                [http.services.f.failover.errors]
                status = ["500-504"]
                maxRequestBodyBytes = 1024
                """ + lb("m", "", main) + lb("fb", "", fallback));
        main.failNext(1);
        HttpResponse<String> replayed = get("/x?y=1");
        assertEquals(200, replayed.statusCode(), "the main's 500 never reaches the client");
        assertEquals("fallback", replayed.body());
        assertEquals("/x?y=1", fallback.take().pathQuery());
        assertEquals("main", get("/").body(), "the main serves again when it answers well");

        // A body is replayed too, byte for byte.
        main.forget();
        main.failNext(1);
        HttpResponse<String> posted = client.send(HttpRequest.newBuilder(sluice.uri("web", "/submit"))
                .POST(HttpRequest.BodyPublishers.ofString("hello twice")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("fallback", posted.body());
        assertEquals("hello twice", main.take().body());
        assertEquals("hello twice", fallback.take().body());

        // Over maxRequestBodyBytes the body cannot be kept for a replay: 413, and nothing is sent.
        HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(sluice.uri("web", "/submit"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2048))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooBig.statusCode());
    }

    @Test
    void healthCheckOnParentRequiresOneOnEveryChild() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        String toml = """
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "w"
                [http.services.w.weighted]
                healthCheck = {}
                services = [{name = "a"}, {name = "b"}]
                """ + lb("a", HEALTH, a) + lb("b", "", b);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(toml, "test.toml"));
        assertEquals(1, e.problems().size(), e::getMessage);
        assertTrue(e.problems().get(0).startsWith("http.services.w.weighted.services[1].name: service \"b\" has no health check"),
                e.getMessage());
    }

    // ------------------------------------------------------------------ mirroring

    private void mirroring(Backend main, Backend mirror, String extra) throws Exception {
        start("mirrored", """
                [http.services.mirrored.mirroring]
                service = "m"
                %s
                """.formatted(extra) + lb("m", "", main) + lb("x", "", mirror));
    }

    @Test
    void mirrorGetsExactlyItsShare() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirroring(main, mirror, "mirrors = [{name = \"x\", percent = 50}]");
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> response = get("/item?n=" + i);
            assertEquals(200, response.statusCode());
            assertEquals("main", response.body(), "the client always gets the main's response");
        }
        within(5).until(() -> mirror.received() >= 50);
        Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertEquals(50, mirror.received(), "every second request, exactly");
        assertEquals(100, main.received());
        // Requests 2, 4, 6, ... were copied (1-based), with their path and query.
        Set<String> copied = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            copied.add(mirror.take().pathQuery());
        }
        Set<String> expected = new HashSet<>();
        for (int i = 1; i < 100; i += 2) {
            expected.add("/item?n=" + i);
        }
        assertEquals(expected, copied);
    }

    @Test
    void mirrorGetsTheBody() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirroring(main, mirror, "mirrors = [{name = \"x\", percent = 100}]");
        String body = "hello mirror " + "x".repeat(100_000); // many of the proxy's 4 KiB reads
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(sluice.uri("web", "/submit"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("main", response.body());
        Backend.Seen atMain = main.take();
        assertEquals("POST", atMain.method());
        assertEquals(body, atMain.body(), "the main service gets the body replayed");
        Backend.Seen atMirror = mirror.take();
        assertEquals("POST", atMirror.method());
        assertEquals("/submit", atMirror.pathQuery());
        assertEquals(body, atMirror.body());
        assertEquals("text/plain", atMirror.headers().get("Content-Type"));
    }

    @Test
    void bodyOverMaxBodySizeIsNotMirrored() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirroring(main, mirror, "maxBodySize = 10\nmirrors = [{name = \"x\", percent = 100}]");
        String body = "longer than ten bytes";
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(sluice.uri("web", "/submit"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("main", response.body());
        assertEquals(body, main.take().body());
        assertEquals("main", get("/small").body());
        assertEquals("/small", mirror.take().pathQuery(), "requests without a body are still mirrored");
        assertEquals(0, mirror.received(), "the large one was not");
    }

    private HttpResponse<String> postChunked(String path, String body) throws Exception {
        // ofInputStream has no length: the JDK client sends the body chunked.
        return client.send(HttpRequest.newBuilder(sluice.uri("web", path))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void chunkedBodyWithinMaxBodySizeIsMirrored() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirroring(main, mirror, "maxBodySize = 100000\nmirrors = [{name = \"x\", percent = 100}]");
        String body = "chunked " + "y".repeat(50_000);
        HttpResponse<String> response = postChunked("/submit", body);
        assertEquals("main", response.body());
        assertEquals(body, main.take().body());
        assertEquals(body, mirror.take().body(), "a body without a declared length is mirrored when it fits");
    }

    @Test
    void chunkedBodyOverMaxBodySizeReachesTheMainWholeAndNoMirror() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirroring(main, mirror, "maxBodySize = 1000\nmirrors = [{name = \"x\", percent = 100}]");
        String body = "z".repeat(300_000) + "end";
        HttpResponse<String> response = postChunked("/submit", body);
        assertEquals(200, response.statusCode());
        assertEquals("main", response.body());
        assertEquals(body, main.take().body(), "the first 1001 bytes read to decide, then the rest streamed on");
        assertEquals("main", get("/small").body());
        assertEquals("/small", mirror.take().pathQuery());
        assertEquals(0, mirror.received(), "the long chunked body was not mirrored");
    }

    @Test
    void deadMirrorDoesNotHurtTheMainService() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirroring(main, mirror, "mirrors = [{name = \"x\", percent = 100}]");
        mirror.stop();
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get("/");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode());
            assertEquals("main", response.body());
            assertTrue(millis < 1000, "request " + i + " took " + millis + " ms");
        }
    }

    @Test
    void hangingMirrorDoesNotDelayTheMainResponse() throws Exception {
        Backend main = backend("main");
        Backend mirror = backend("mirror");
        mirroring(main, mirror, "mirrors = [{name = \"x\", percent = 100}]");
        mirror.delay(5000);
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get("/");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("main", response.body());
            assertTrue(millis < 1000, "request " + i + " took " + millis + " ms");
        }
        assertEquals(10, main.received());
    }

    // ------------------------------------------------------------------ hashing strategies

    @Test
    void hashOnHeaderKeepsEachUserOnOneServer() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend c = backend("c");
        start("s", lb("s", "strategy = \"hash\"\nhashKey = \"header:X-User\"", a, b, c));
        Set<String> used = new HashSet<>();
        for (int user = 0; user < 20; user++) {
            String first = who("X-User", "user-" + user);
            used.add(first);
            for (int i = 0; i < 4; i++) {
                assertEquals(first, who("X-User", "user-" + user), "user-" + user);
            }
        }
        assertTrue(used.size() >= 2, "20 users spread over servers: " + used);
        // Without the header every request hashes the empty string: one server for all.
        assertEquals(1, served(6).size());
    }

    @Test
    void hrwKeepsTheClientIpOnOneServer() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        Backend c = backend("c");
        start("s", lb("s", "strategy = \"hrw\"", a, b, c));
        assertEquals(1, served(20).size(), "127.0.0.1 always reaches the same server");
        Set<String> used = new HashSet<>();
        for (int ip = 2; ip < 32; ip++) {
            String first = rawGetFrom("127.0.0." + ip);
            assertEquals(first, rawGetFrom("127.0.0." + ip), "client 127.0.0." + ip);
            used.add(first);
        }
        assertTrue(used.size() >= 2, "30 client IPs spread over servers: " + used);
    }

    @Test
    void noStickyCookieWithoutSticky() throws Exception {
        Backend a = backend("a");
        start("s", lb("s", "", a));
        assertNull(setCookies(get("/")).get("lb"));
        assertTrue(get("/").headers().allValues("set-cookie").isEmpty());
    }
}
