package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each example of Traefik's services documentation in {@code conf/examples/} behaves as the
 * documentation says. The file is used as written; the test only points its addresses at real
 * backends, appends an entry point and a router (the examples show services only) and, where an
 * example shows an option without any server, appends one server so the option can be seen working.
 */
class SeedExamplesBehaviourTest {
    private static final Path EXAMPLES = Path.of("..", "conf", "examples");
    private static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1:([1-9]\\d*)");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Backend> backends = new HashMap<>();
    private Sluice sluice;

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (Backend backend : backends.values()) {
            backend.close();
        }
    }

    /**
     * Starts example {@code number} with its service {@code service} behind a router; every
     * {@code 127.0.0.1:PORT} in it (and in {@code extra}) becomes a backend named after the port.
     */
    private void start(String number, String service, String extra) throws Exception {
        start(number, service, extra, "", "");
    }

    /** As {@link #start(String, String, String)}, with {@code from} in the example replaced by {@code to} first. */
    private void start(String number, String service, String extra, String from, String to) throws Exception {
        String example = Files.readString(EXAMPLES.resolve(number + ".toml"));
        if (!from.isEmpty()) {
            assertTrue(example.contains(from), number + ".toml has " + from);
            example = example.replace(from, to);
        }
        String text = example + "\n" + extra + """

                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.example]
                rule = "PathPrefix(`/`)"
                service = "%s"
                """.formatted(service);
        Matcher m = ADDRESS.matcher(text);
        StringBuilder rewritten = new StringBuilder();
        while (m.find()) {
            Backend backend = backend(m.group(1));
            m.appendReplacement(rewritten, "127.0.0.1:" + backend.port());
        }
        m.appendTail(rewritten);
        sluice = Sluice.start(rewritten.toString());
    }

    private Backend backend(String port) throws Exception {
        Backend backend = backends.get(port);
        if (backend == null) {
            backend = new Backend(port);
            backends.put(port, backend);
        }
        return backend;
    }

    private static String server(String service) {
        return """
                [[http.services.%s.loadBalancer.servers]]
                url = "http://127.0.0.1:9101"
                """.formatted(service);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> bodies(int n) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> response = get("/");
            assertEquals(200, response.statusCode());
            bodies.add(response.body());
        }
        return bodies;
    }

    private static Map<String, Long> counts(List<String> values) {
        return values.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
    }

    private static String setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElse(null);
    }

    @Test
    void everyExampleHasABehaviourTest() throws IOException {
        Set<String> files;
        try (Stream<Path> listing = Files.list(EXAMPLES)) {
            files = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".toml"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> tested = new TreeSet<>();
        // The TCP and UDP examples are TcpSeedExamplesTest's.
        for (Class<?> test : List.of(getClass(), TcpSeedExamplesTest.class)) {
            for (var method : test.getDeclaredMethods()) {
                Matcher m = Pattern.compile("^example(\\d+)").matcher(method.getName());
                if (m.find()) {
                    tested.add(m.group(1));
                }
            }
        }
        assertEquals(files, tested);
    }

    @Test
    void example01TwoServersShareTheRequests() throws Exception {
        start("01", "my-service", "");
        assertEquals(Map.of("9001", 2L, "9002", 2L), counts(bodies(4)));
    }

    @Test
    void example04LoadBalancesTwoServers() throws Exception {
        start("04", "my-service", "");
        assertEquals(List.of("9001", "9002", "9001", "9002"), bodies(4), "round robin, in order");
    }

    @Test
    void example05OneServerServesEverything() throws Exception {
        start("05", "my-service", "");
        assertEquals(List.of("9001", "9001", "9001"), bodies(3));
    }

    @Test
    void example06RoundRobin() throws Exception {
        start("06", "my-service", "");
        assertEquals(Map.of("9001", 5L, "9002", 5L), counts(bodies(10)));
    }

    @Test
    void example07StickinessWithADerivedCookieName() throws Exception {
        start("07", "my-service", server("my-service") + """
                [[http.services.my-service.loadBalancer.servers]]
                url = "http://127.0.0.1:9102"
                """);
        HttpResponse<String> first = get("/");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.matches("_[0-9a-f]{5}=[^;]+.*"), "default name is short and derived, as _1d52e: " + cookie);
        String pair = cookie.substring(0, cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';'));
        for (int i = 0; i < 5; i++) {
            assertEquals(first.body(), get("/", "Cookie", pair).body(), "the cookie keeps the client on its server");
        }
    }

    @Test
    void example08StickinessWithCustomOptions() throws Exception {
        start("08", "my-service", server("my-service"));
        String cookie = setCookie(get("/"), "my_sticky_cookie_name");
        assertNotNull(cookie);
        String lower = cookie.toLowerCase();
        assertTrue(lower.contains("; secure") && lower.contains("; httponly") && lower.contains("samesite=none"), cookie);
    }

    @Test
    void example09StickinessOnEveryLevel() throws Exception {
        start("09", "wrr1", "");
        HttpResponse<String> first = get("/");
        String lvl1 = setCookie(first, "lvl1");
        String lvl2 = setCookie(first, "lvl2");
        assertNotNull(lvl1, "the weighted level sets its cookie");
        assertNotNull(lvl2, "the load balancer level sets its own");
        String cookies = lvl1.split(";")[0] + "; " + lvl2.split(";")[0];
        for (int i = 0; i < 6; i++) {
            assertEquals(first.body(), get("/", "Cookie", cookies).body(), "both cookies pin one server of the four");
        }
    }

    @Test
    void example10HealthCheckWithCustomIntervalAndTimeout() throws Exception {
        start("10", "Service-1", server("Service-1"));
        Backend backend = backends.get("9101");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backend.healthChecks() >= 1);
        assertEquals("/health", backend.lastHealthCheck().pathQuery());
        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> backend.healthChecks() == 1);
        assertEquals(200, get("/").statusCode());
    }

    @Test
    void example11HealthCheckOnAnotherPort() throws Exception {
        // The example's port 8080 is pointed at a backend of its own, as its addresses are.
        Backend checked = backend("8080");
        start("11", "Service-1", server("Service-1"), "port = 8080", "port = " + checked.port());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> checked.healthChecks() >= 1);
        assertEquals(0, backends.get("9101").healthChecks(), "checks go to the port given, not the server's");
        assertEquals("9101", get("/").body(), "traffic still goes to the server's own port");
    }

    @Test
    void example12HealthCheckScheme() throws Exception {
        start("12", "Service-1", server("Service-1"));
        Backend backend = backends.get("9101");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backend.healthChecks() >= 1);
        assertEquals(200, get("/").statusCode());
    }

    @Test
    void example13HealthCheckHeaders() throws Exception {
        start("13", "Service-1", server("Service-1"));
        Backend backend = backends.get("9101");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backend.healthChecks() >= 1);
        assertEquals("foo", backend.lastHealthCheck().headers().get("My-Custom-Header"));
        assertEquals("bar", backend.lastHealthCheck().headers().get("My-Header"));
    }

    @Test
    void example14HostHeaderNotForwarded() throws Exception {
        start("14", "Service01", server("Service01"));
        get("/", "X-Probe", "1");
        Backend backend = backends.get("9101");
        assertEquals("127.0.0.1:" + backend.port(), backend.take().headers().get("Host"), "the server's host, not the client's");
    }

    @Test
    void example15NamedTransport() throws Exception {
        start("15", "Service01", server("Service01"));
        assertEquals("9101", get("/").body());
    }

    @Test
    void example16FlushIntervalOfOneSecond() throws Exception {
        start("16", "Service-1", server("Service-1"));
        // Three parts 700 ms apart in a body of declared length: the first reaches the client with
        // the first flush, one second after it was written (100 ms with the default interval).
        long begin = System.nanoTime();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                sluice.uri("web", "/respond?size=300&chunks=3&gapMs=700&length=1")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertEquals('x', body.read());
            long millis = (System.nanoTime() - begin) / 1_000_000;
            assertTrue(millis >= 900, "first byte after " + millis + " ms");
            assertEquals(299, body.readAllBytes().length);
        }
    }

    @Test
    void example24WeightedThreeToOne() throws Exception {
        start("24", "app", "");
        assertEquals(Map.of("9001", 6L, "9002", 2L), counts(bodies(8)));
    }

    @Test
    void example25WeightedFollowsChildHealth() throws Exception {
        backend("9001").health(503);
        start("25", "app", "");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backends.get("9001").healthChecks() >= 1);
        assertEquals(Map.of("9002", 8L), counts(bodies(8)), "appv1 is unhealthy: appv2 takes everything");
    }

    @Test
    void example26MirrorsTenPercentWithoutBodies() throws Exception {
        start("26", "mirrored-api", "");
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(sluice.uri("web", "/item"))
                    .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("9001", response.body());
        }
        Backend mirror = backends.get("9002");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mirror.received() >= 10);
        Awaitility.await().during(Duration.ofMillis(300)).until(() -> mirror.received() == 10);
        assertEquals("", mirror.take().body(), "mirrorBody = false: copies go without the body");
        assertEquals(100, backends.get("9001").received());
    }

    @Test
    void example28FailoverWhenMainIsUnhealthy() throws Exception {
        backend("9001").health(503);
        start("28", "app", "");
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backends.get("9001").healthChecks() >= 1);
        assertEquals(List.of("9002", "9002", "9002"), bodies(3), "the fallback serves while main is down");
    }
}
