package dev.sluice.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RefusingPort;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What sluice.war must do in any servlet container, over real sockets on 127.0.0.1: one subclass per
 * container deploys the packaged WAR (system property {@code sluice.war}, set by failsafe) with
 * context parameters given at deployment time, as an operator would, never by editing the WAR.
 *
 * <p>Each test creates the container, deploys one or more contexts, starts it, and the container
 * is stopped after the test. The two backends are shared by the tests of a class. Web applications
 * get a {@link ContainerOnlyClassLoader} as parent, so that they run on the WAR's WEB-INF/lib
 * alone, as in a real container, and not on this module's test class path.
 */
abstract class WarContract {
    static Backend a;
    static Backend b;

    @TempDir
    Path tmp;

    /** Registers a deployment of the WAR at {@code contextPath} ("/" for the root) with these context params. */
    abstract void deploy(String contextPath, Map<String, String> params) throws Exception;

    /** Starts the container with everything deployed; a failed deployment must not fail this. */
    abstract void start() throws Exception;

    abstract int port();

    /** The port of the container's HTTPS connector (the container owns TLS; it may ask for a client certificate). */
    abstract int httpsPort();

    abstract boolean available(String contextPath);

    /** What the container reports about the failed start of the context at {@code contextPath}. */
    abstract String startupFailure(String contextPath);

    /** The class loader of the web application deployed at {@code contextPath}. */
    abstract ClassLoader webappClassLoader(String contextPath);

    /** Undeploys the context at {@code contextPath}, leaving the container running. */
    abstract void undeploy(String contextPath) throws Exception;

    /** Stops the container. */
    abstract void stop() throws Exception;

    /** Sluice's own log records (SLF4J → java.util.logging through the WAR's slf4j-jdk14). */
    final List<LogRecord> sluiceLog = new CopyOnWriteArrayList<>();
    private final Logger sluiceLogger = Logger.getLogger("dev.sluice");
    private final Handler sluiceLogCapture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            sluiceLog.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureSluiceLog() {
        sluiceLogger.addHandler(sluiceLogCapture);
    }

    @AfterEach
    void stopContainer() throws Exception {
        customWar = null;
        try {
            stop();
        } finally {
            sluiceLogger.removeHandler(sluiceLogCapture);
        }
    }

    @BeforeAll
    static void startBackends() throws Exception {
        a = Backend.start("A");
        b = Backend.start("B");
    }

    @AfterAll
    static void stopBackends() throws Exception {
        if (a != null) {
            a.stop();
        }
        if (b != null) {
            b.stop();
        }
    }

    /** A WAR a test built from sluice.war (another web.xml), deployed instead of it; reset after each test. */
    static volatile Path customWar;

    static Path war() {
        if (customWar != null) {
            return customWar;
        }
        Path war = Path.of(System.getProperty("sluice.war", "target/sluice.war")).toAbsolutePath();
        assertTrue(Files.isRegularFile(war), war + " missing: run the ITs through Maven (failsafe, after package)");
        return war;
    }

    static Map<String, String> params(String... keyValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            params.put(keyValues[i], keyValues[i + 1]);
        }
        return params;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    URI httpsUri(String pathAndQuery) {
        return URI.create("https://127.0.0.1:" + httpsPort() + pathAndQuery);
    }

    String proxyHost() {
        return "127.0.0.1:" + port();
    }

    @Test
    void balancesRoundRobinOverBothBackends() throws Exception {
        deploy("/", params("upstreams", a.url() + ", " + b.url(), "strategy", "wrr"));
        start();

        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Http.Reply reply = Http.get(uri("/round/" + i));
            assertEquals(200, reply.status(), reply::toString);
            assertEquals(reply.backend(), reply.header("X-Backend"), "response headers come back from the upstream");
            answered.add(reply.backend());
        }
        for (int i = 1; i < answered.size(); i++) {
            assertNotEquals(answered.get(i - 1), answered.get(i), "wrr with equal weights alternates: " + answered);
        }
        assertEquals(3, answered.stream().filter("A"::equals).count(), answered::toString);
        assertEquals(3, answered.stream().filter("B"::equals).count(), answered::toString);
    }

    @Test
    void forwardsRawPathQueryAndForwardedHeaders() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();

        // A forged X-Forwarded-For from an untrusted client is dropped and rebuilt from the connection.
        Http.Reply reply = Http.get(uri("/hello%20world/caf%C3%A9?a=1&b=%3D&c=%20"), "X-Forwarded-For", "203.0.113.9");
        assertEquals(200, reply.status(), reply::toString);
        Map<String, String> seen = reply.echo();
        assertEquals("A", seen.get("backend"));
        assertEquals("GET", seen.get("method"));
        assertEquals("/hello%20world/caf%C3%A9", seen.get("path"), "path reaches the upstream byte for byte");
        assertEquals("a=1&b=%3D&c=%20", seen.get("query"), "query reaches the upstream byte for byte");
        assertEquals("127.0.0.1", seen.get("x-forwarded-for"));
        assertEquals("127.0.0.1", seen.get("x-real-ip"));
        assertEquals("http", seen.get("x-forwarded-proto"));
        assertEquals(proxyHost(), seen.get("x-forwarded-host"));
        assertEquals(Integer.toString(port()), seen.get("x-forwarded-port"));
        assertEquals(proxyHost(), seen.get("host"), "preserveHost defaults to true: the client's Host is passed on");
        assertFalse(seen.containsKey("via"), "no Via, as in Traefik");
    }

    @Test
    void stripsThePrefixInASecondDeployment() throws Exception {
        deploy("/", params("upstreams", a.url()));
        deploy("/proxy", params("upstreams", b.url(), "prefix", "/api", "preserveHost", "false"));
        start();

        Map<String, String> stripped = Http.get(uri("/proxy/api/users?id=7")).echo();
        assertEquals("B", stripped.get("backend"), stripped::toString);
        assertEquals("/users", stripped.get("path"), "context path and prefix are both removed");
        assertEquals("id=7", stripped.get("query"));
        // The upstream builds its links from X-Forwarded-Prefix: context path and stripped prefix.
        assertEquals("/proxy/api", stripped.get("x-forwarded-prefix"), stripped::toString);
        assertEquals("127.0.0.1:" + b.port(), stripped.get("host"), "preserveHost=false sends the upstream's host:port");
        assertEquals(proxyHost(), stripped.get("x-forwarded-host"));

        assertEquals("/", Http.get(uri("/proxy/api")).echo().get("path"), "an emptied path becomes /");
        assertEquals("/other", Http.get(uri("/proxy/other")).echo().get("path"), "other paths are not touched");

        Map<String, String> root = Http.get(uri("/api/users")).echo();
        assertEquals("A", root.get("backend"), "the root deployment is a separate Sluice with its own config");
        assertEquals("/api/users", root.get("path"));
    }

    @Test
    void stoppedUpstreamGives502PlainText() throws Exception {
        // Held until the test ends: refuses connections, and no other server can take the port meanwhile.
        try (RefusingPort gone = new RefusingPort()) {
            deploy("/", params("upstreams", gone.url()));
            start();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Http.Reply reply = Http.get(uri("/anything?x=1"));
                assertEquals(502, reply.status(), reply::toString);
                assertTrue(reply.header("Content-Type").startsWith("text/plain"), reply.header("Content-Type"));
                assertEquals("502 Bad Gateway\n", reply.body());
            });
        }
        assertTrue(sluiceLog.stream().anyMatch(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("502")
                        && r.getMessage().contains("/anything")),
                "the operator can see why in the container's log: " + messages(sluiceLog));
    }

    static String messages(List<LogRecord> records) {
        StringBuilder text = new StringBuilder();
        for (LogRecord record : records) {
            text.append(record.getLevel()).append(' ').append(record.getLoggerName()).append(": ").append(record.getMessage()).append('\n');
        }
        return text.toString();
    }

    @Test
    void deploysFromATomlConfigFile() throws Exception {
        Path toml = tmp.resolve("dynamic.toml");
        Files.writeString(toml, """
                # Traefik's file-provider schema; a WAR has no entry points of its own.
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "both"

                [http.routers.only-b]
                rule = "PathPrefix(`/b/`)"
                service = "b"
                middlewares = ["strip-b"]

                [http.middlewares.strip-b.stripPrefix]
                prefixes = ["/b"]

                [http.services.both.loadBalancer]
                strategy = "wrr"
                [[http.services.both.loadBalancer.servers]]
                url = "%s"
                [[http.services.both.loadBalancer.servers]]
                url = "%s"

                [http.services.b.loadBalancer]
                passHostHeader = false
                [[http.services.b.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url(), b.url(), b.url()));
        deploy("/", params("config", toml.toString()));
        start();

        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answered.add(Http.get(uri("/x")).backend());
        }
        assertTrue(answered.equals(List.of("A", "B", "A", "B")) || answered.equals(List.of("B", "A", "B", "A")), answered::toString);

        Map<String, String> onlyB = Http.get(uri("/b/thing?q=%22")).echo();
        assertEquals("B", onlyB.get("backend"), "the longer rule wins");
        assertEquals("/thing", onlyB.get("path"));
        assertEquals("q=%22", onlyB.get("query"));
        assertEquals("127.0.0.1:" + b.port(), onlyB.get("host"));
    }

    @Test
    void theApiIsServedWhereARouterPutsItAndNowhereElse() throws Exception {
        Path toml = tmp.resolve("api.toml");
        Files.writeString(toml, """
                [api]
                dashboard = false
                [http.routers.admin]
                rule = "PathPrefix(`/api`) && ClientIP(`127.0.0.1`)"
                service = "api@internal"
                [http.routers.app]
                rule = "PathPrefix(`/`)"
                service = "app"
                [http.middlewares.auth.basicAuth]
                users = ['admin:$2y$10$q8aD9MgQnmrBdgujWw/1Z./SSACjuwkDcPMryMWgxgAA9rTyUzLvW']
                [[http.services.app.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url()));
        deploy("/", params("config", toml.toString()));
        start();
        Http.Reply routers = Http.get(uri("/api/http/routers"));
        assertEquals(200, routers.status(), routers.body());
        assertTrue(routers.body().startsWith("[{"), routers.body());
        assertTrue(routers.body().contains("\"name\":\"admin@file\"") && routers.body().contains("\"name\":\"app@file\""), routers.body());
        assertTrue(routers.body().contains("\"service\":\"api@internal\""), routers.body());
        Http.Reply services = Http.get(uri("/api/http/services/app@file"));
        assertTrue(services.body().contains("\"serverStatus\":{\"" + a.url() + "\":\"UP\"}"), services.body());
        String middleware = Http.get(uri("/api/http/middlewares/auth@file")).body();
        assertTrue(middleware.contains("admin:REDACTED") && !middleware.contains("$2y$"), middleware);
        Http.Reply explained = Http.get(uri("/api/explain?url=http://x.test/shop"));
        assertTrue(explained.body().contains("\"entryPoint\":null") && explained.body().contains("\"router\":\"app@file\""),
                explained.body());
        assertEquals("A", Http.get(uri("/shop")).backend(), "everything else still goes to the app");
    }

    @Test
    void theDashboardIsServedFromTheWarUnderItsContextPath() throws Exception {
        Path toml = tmp.resolve("dashboard.toml");
        Files.writeString(toml, """
                [api]
                dashboard = true
                [http.routers.api]
                rule = "PathPrefix(`/api`) && ClientIP(`127.0.0.1`)"
                service = "api@internal"
                [http.routers.dashboard]
                rule = "PathPrefix(`/dashboard`) && ClientIP(`127.0.0.1`)"
                service = "dashboard@internal"
                """);
        deploy("/admin", params("config", toml.toString()));
        start();
        Http.Reply redirect = Http.get(uri("/admin/dashboard"));
        assertEquals(301, redirect.status());
        assertEquals("/admin/dashboard/", redirect.header("Location"));
        Http.Reply page = Http.get(uri("/admin/dashboard/"));
        assertEquals(200, page.status(), page.body());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.header("Content-Security-Policy").startsWith("default-src 'none'"), page.header("Content-Security-Policy"));
        assertTrue(page.body().contains("<title>Sluice dashboard</title>"), page.body());
        Http.Reply js = Http.get(uri("/admin/dashboard/dashboard.js"));
        assertEquals(200, js.status());
        assertTrue(js.header("Content-Type").startsWith("text/javascript"), js.header("Content-Type"));
        // The page reads ../api/ relative to itself: the same context.
        Http.Reply reloads = Http.get(uri("/admin/api/reloads"));
        assertEquals(200, reloads.status(), reloads.body());
        assertTrue(reloads.body().startsWith("{\"applied\":1,\"rejected\":0,"), reloads.body());
    }

    @Test
    void theConfigFileIsWatchedAndAValidChangeAppliesLive() throws Exception {
        Path toml = tmp.resolve("watched.toml");
        String config = """
                [providers]
                providersThrottleDuration = "0s"
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "s"
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """;
        Files.writeString(toml, config.formatted(a.url()));
        deploy("/", params("config", toml.toString()));
        start();
        assertEquals("A", Http.get(uri("/x")).backend());
        Files.writeString(toml, config.formatted(b.url()));
        await().atMost(Duration.ofSeconds(5)).until(() -> "B".equals(Http.get(uri("/x")).backend()));
        Files.writeString(toml, config.formatted(b.url()).replace("service = \"s\"", "service = \"nope\""));
        await().atMost(Duration.ofSeconds(5)).until(() -> messages(sluiceLog).contains("configuration rejected"));
        assertEquals("B", Http.get(uri("/x")).backend(), "a broken file leaves the running configuration serving");
    }

    @Test
    void writesTheAccessLogItsConfigurationFileAsks() throws Exception {
        Path toml = tmp.resolve("logged.toml");
        Path log = tmp.resolve("logs/access.log");
        Files.writeString(toml, """
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "s"
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                [accessLog]
                filePath = "%s"
                format = "{method} {path} {status} {:router} {:upstream_addr}"
                """.formatted(a.url(), log));
        deploy("/", params("config", toml.toString()));
        start();
        assertEquals("A", Http.get(uri("/logged")).backend());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log) && !Files.readAllLines(log).isEmpty());
        assertEquals(List.of("GET /logged 200 all 127.0.0.1:" + a.port()), Files.readAllLines(log));
    }

    @Test
    void tcpEntryPointsAreRelayedWhileDeployed() throws Exception {
        Path toml = tmp.resolve("tcp.toml");
        Files.writeString(toml, """
                [entryPoints.raw]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.all]
                rule = "HostSNI(`*`)"
                service = "a"
                [[tcp.services.a.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                """.formatted(a.port()));
        deploy("/", params("config", toml.toString()));
        start();
        String listening = sluiceLog.stream().map(LogRecord::getMessage).filter(m -> m.startsWith("entry point raw (tcp) listening on port "))
                .findFirst().orElseThrow(() -> new AssertionError("the relay logs its port: " + messages(sluiceLog)));
        int port = Integer.parseInt(listening.substring(listening.lastIndexOf(' ') + 1));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /over-tcp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes());
            String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("HTTP/1.1 200") && reply.contains("/over-tcp"), "relayed untouched to backend A: " + reply);
        }
        undeploy("/");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return false;
            } catch (java.io.IOException refused) {
                return true;
            }
        });
    }

    @Test
    void badConfigFailsThatDeploymentOnly() throws Exception {
        deploy("/good", params("upstreams", a.url()));
        deploy("/bad", params("upstreams", "ftp://x"));
        start();

        assertFalse(available("/bad"), "a bad configuration fails the deployment");
        String failure = startupFailure("/bad");
        assertNotNull(failure);
        assertTrue(failure.contains("upstreams[0]"), "the failure names the init-param: " + failure);
        assertTrue(failure.contains("ftp://x"), failure);
        assertNotEquals(200, Http.get(uri("/bad/x")).status());
        assertTrue(sluiceLog.stream().anyMatch(r -> r.getLevel() == Level.SEVERE && r.getMessage().contains("upstreams[0]")),
                "Sluice logs the rejected keys too: " + messages(sluiceLog));

        assertTrue(available("/good"), "the container and its other deployments carry on");
        Http.Reply good = Http.get(uri("/good/x"));
        assertEquals(200, good.status(), good::toString);
        assertEquals("/x", good.echo().get("path"));
    }

    @Test
    void streamsRequestAndResponseBodies() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();

        byte[] body = new byte[512 * 1024 + 7];
        new Random(42).nextBytes(body);
        Http.Reply reply = Http.post(uri("/upload"), body);
        assertEquals(200, reply.status(), () -> reply.status() + " " + reply.header("Content-Type"));
        assertEquals("A", reply.header("X-Backend"));
        assertArrayEquals(body, reply.bytes(), "the body makes the round trip intact");
    }

    /**
     * Containers give every web application defaults: Tomcat's conf/web.xml and Jetty's
     * webdefault-ee10.xml map {@code *.jsp} (and more) to a JSP servlet and list welcome files such as
     * index.jsp. None of that may take a request away from the proxy.
     */
    @Test
    void proxiesPathsThatContainerDefaultsClaim() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();

        for (String path : List.of("/", "/docs/", "/page.jsp", "/page.jspx", "/frag.jspf", "/index.html", "/index.jsp")) {
            Http.Reply reply = Http.get(uri(path));
            assertEquals(200, reply.status(), () -> path + " -> " + reply);
            assertEquals(path, reply.echo().get("path"), () -> path + " -> " + reply);
        }
    }

    /**
     * A limit of any WAR, documented here: the servlet specification forbids serving WEB-INF/ and
     * META-INF/ of a web application, and containers answer 404 before any filter or servlet runs,
     * so upstream paths under them (relative to the context path) cannot be proxied.
     */
    @Test
    void containerKeepsWebInfAndMetaInfToItself() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();

        for (String path : List.of("/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/web-inf/x")) {
            Http.Reply reply = Http.get(uri(path));
            assertEquals(404, reply.status(), () -> path + " -> " + reply);
            assertEquals(null, reply.header("X-Backend"), () -> path + " must not reach the upstream");
        }
        assertEquals("/WEB-INF-notes/x", Http.get(uri("/WEB-INF-notes/x")).echo().get("path"), "only the directories themselves");
    }

    @Test
    void runsOnTheLibrariesBundledInTheWar() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();

        ClassLoader webapp = webappClassLoader("/");
        for (String bundled : List.of("dev.sluice.proxy.servlet.SluiceProxyServlet", "org.eclipse.jetty.ee10.proxy.AsyncProxyServlet",
                "org.eclipse.jetty.client.HttpClient", "org.eclipse.jetty.util.thread.Scheduler", "com.fasterxml.jackson.databind.ObjectMapper")) {
            String from = Class.forName(bundled, false, webapp).getProtectionDomain().getCodeSource().getLocation().toString();
            assertTrue(from.contains("WEB-INF/lib/"), bundled + " loaded from " + from);
        }
        Class<?> servletApi = Class.forName("jakarta.servlet.Servlet", false, webapp);
        assertFalse(String.valueOf(servletApi.getProtectionDomain().getCodeSource().getLocation()).contains("WEB-INF"),
                "the servlet API is the container's");
    }

    @Test
    void undeployStopsEverySluiceThread() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();
        assertEquals(200, Http.get(uri("/warm-up")).status());
        assertFalse(upstreamClientThreads().isEmpty(), "upstream client threads run while deployed");

        undeploy("/");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertEquals(List.of(), upstreamClientThreads(), "threads left running after undeploy"));
        assertLeakFree();
    }

    /** Container-specific leak checks, run after {@link #undeployStopsEverySluiceThread}. */
    void assertLeakFree() {}

    private static List<String> upstreamClientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("sluice-upstream"))
                .sorted()
                .toList();
    }

    /**
     * The request smuggling rows of the jar's HostileRequestTest, through the WAR. Here the container
     * parses the requests, with its own leniencies (Tomcat 10.1 unfolds obs-fold and lets
     * Transfer-Encoding win over Content-Length, then closes; Jetty 12's default takes a bare LF as a
     * line end), so statuses differ from the jar's; what must hold in every container is that nothing
     * is smuggled: the upstream never receives a hidden {@code GET /smuggled} the client did not get an
     * answer for as its own pipelined request (that would be a desynchronised one). A plain client is
     * served after them. The observed statuses are printed for src/it/RELIABILITY.md.
     */
    @Test
    void smugglingAttemptsSmuggleNothing() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();
        List<String> observed = new ArrayList<>();
        int answeredTwice = 0;
        for (dev.sluice.proxy.testing.SmugglingRows.Row row : dev.sluice.proxy.testing.SmugglingRows.rows().toList()) {
            // Always half-closed: a container may wait for a body that never comes.
            dev.sluice.proxy.testing.HostileWire answer = dev.sluice.proxy.testing.HostileWire.send(port(), row.request(), true, 5000);
            observed.add(row.name() + " -> " + answer.statuses());
            if (answer.statuses().size() >= 2) {
                answeredTwice++; // the container read the hidden request as a pipelined one, and its answer came back
            }
        }
        System.out.println("[hostile] " + getClass().getSimpleName() + " smuggling rows: " + observed);
        Http.Reply next = Http.get(uri("/next"));
        assertEquals(200, next.status(), next::toString);
        long smuggled = a.paths().stream().filter(p -> p.contains("smuggled")).count();
        assertTrue(smuggled <= answeredTwice, "the upstream got " + smuggled + " hidden requests, the client saw " + answeredTwice
                + " answered: " + observed);
    }

    /**
     * {@code //public/admin} is routed as {@code /public/admin} (Sluice's routing path collapses
     * slashes, as Traefik's does) and must reach the upstream as sent, or be refused: never as
     * {@code /admin}, which a different router (with other middlewares, e.g. authentication) may
     * guard. Jetty refuses such a path itself (400); Tomcat passes it on.
     */
    @Test
    void leadingDoubleSlashIsForwardedAsSentOrRefused() throws Exception {
        deploy("/", params("upstreams", a.url()));
        start();

        Http.Reply reply = Http.get(uri("//public/admin?q=1"));
        if (reply.status() != 400) {
            assertEquals("//public/admin", reply.echo().get("path"), reply::toString);
        }
    }

    /**
     * A client may spell the context path differently from the deployment ({@code /%70roxy},
     * {@code /a/../proxy}): the container still maps the request to /proxy, and the upstream must get
     * the path after it, or the request must be refused.
     */
    @Test
    void contextPathSpelledDifferentlyIsStrippedOrRefused() throws Exception {
        deploy("/proxy", params("upstreams", b.url()));
        start();

        for (String path : List.of("/%70roxy/x%20y", "/a/../proxy/x%20y")) {
            Http.Reply reply = Http.get(uri(path));
            if (reply.status() != 400) {
                assertEquals("/x%20y", reply.echo().get("path"), () -> path + " -> " + reply);
            }
        }
    }

    /**
     * Body middlewares in this container: compress and subFilter rewrite what the proxy writes with
     * non-blocking I/O, buffering reads the upload without blocking; every body must arrive whole,
     * which needs the container's AsyncContext.complete() to wait for the encoder's tail.
     */
    @Test
    void bodyMiddlewaresRewriteProxiedBodies() throws Exception {
        Path toml = tmp.resolve("bodies.toml");
        Files.writeString(toml, """
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "a"
                middlewares = ["zip", "rename", "whole"]
                [http.middlewares.zip.compress]
                encodings = ["gzip"]
                minResponseBodyBytes = 10
                [http.middlewares.rename.subFilter]
                filters = ["sub_filter 'backend: A' 'backend: Z'"]
                types = ["text/plain"]
                [http.middlewares.whole.buffering]
                memRequestBodyBytes = 1000
                [http.services.a.loadBalancer]
                [[http.services.a.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url()));
        deploy("/", params("config", toml.toString()));
        start();

        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<byte[]> echo = client.send(java.net.http.HttpRequest.newBuilder(uri("/x"))
                .header("Accept-Encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, echo.statusCode());
        assertEquals("gzip", echo.headers().firstValue("Content-Encoding").orElse(null));
        String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(echo.body())).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.startsWith("backend: Z\n"), text);
        assertTrue(text.contains("path: /x\n"), text);

        byte[] body = new byte[300 * 1024 + 5];
        new Random(7).nextBytes(body);
        java.net.http.HttpResponse<byte[]> upload = client.send(java.net.http.HttpRequest.newBuilder(uri("/upload"))
                .header("Accept-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, upload.statusCode());
        assertEquals("gzip", upload.headers().firstValue("Content-Encoding").orElse(null));
        assertArrayEquals(body, new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(upload.body())).readAllBytes(),
                "the chunked upload was read whole, forwarded, echoed and compressed intact");
    }

    /** sluice.war with {@code filters} (filter and filter-mapping elements) placed before Sluice's own filter. */
    Path warWithFilters(String filters) throws Exception {
        Path copy = tmp.resolve("custom-" + System.nanoTime() + ".war");
        try (java.util.zip.ZipFile original = new java.util.zip.ZipFile(war().toFile());
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(copy))) {
            for (java.util.Enumeration<? extends java.util.zip.ZipEntry> e = original.entries(); e.hasMoreElements(); ) {
                java.util.zip.ZipEntry entry = e.nextElement();
                byte[] bytes = original.getInputStream(entry).readAllBytes();
                if (entry.getName().equals("WEB-INF/web.xml")) {
                    String xml = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
                    int sluiceFilter = xml.indexOf("  <filter>\n    <filter-name>sluice</filter-name>");
                    assertTrue(sluiceFilter > 0, "web.xml declares the sluice filter");
                    bytes = (xml.substring(0, sluiceFilter) + filters + xml.substring(sluiceFilter))
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return copy;
    }

    @Test
    void middlewaresDeclaredInWebXmlGuardTheProxy() throws Exception {
        String sha = java.util.Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("SHA-1").digest("secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        customWar = warWithFilters("""
                  <filter>
                    <filter-name>auth</filter-name>
                    <filter-class>dev.sluice.proxy.servlet.MiddlewareFilter</filter-class>
                    <async-supported>true</async-supported>
                    <init-param><param-name>type</param-name><param-value>basicAuth</param-value></init-param>
                    <init-param><param-name>users</param-name><param-value>["test:{SHA}%s"]</param-value></init-param>
                    <init-param><param-name>realm</param-name><param-value>War Realm</param-value></init-param>
                  </filter>
                  <filter-mapping><filter-name>auth</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                  <filter>
                    <filter-name>secure</filter-name>
                    <filter-class>dev.sluice.proxy.servlet.MiddlewareFilter</filter-class>
                    <async-supported>true</async-supported>
                    <init-param><param-name>type</param-name><param-value>headers</param-value></init-param>
                    <init-param><param-name>frameDeny</param-name><param-value>true</param-value></init-param>
                    <init-param><param-name>customResponseHeaders</param-name><param-value>{ X-Served-By = "sluice-war" }</param-value></init-param>
                  </filter>
                  <filter-mapping><filter-name>secure</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                """.formatted(sha));
        deploy("/", params("upstreams", a.url()));
        start();

        Http.Reply refused = Http.get(uri("/x"));
        assertEquals(401, refused.status(), refused::toString);
        assertEquals("Basic realm=\"War Realm\"", refused.header("WWW-Authenticate"));

        String credentials = java.util.Base64.getEncoder().encodeToString("test:secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Http.Reply allowed = Http.get(uri("/x"), "Authorization", "Basic " + credentials);
        assertEquals(200, allowed.status(), allowed::toString);
        assertEquals("A", allowed.backend());
        assertEquals("sluice-war", allowed.header("X-Served-By"));
        assertEquals("DENY", allowed.header("X-Frame-Options"));
    }

    @Test
    void middlewaresThatWaitResumeInTheContainer() throws Exception {
        Path toml = tmp.resolve("waiting.toml");
        Files.writeString(toml, """
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "b"
                middlewares = ["auth", "slow"]
                [http.middlewares.auth.forwardAuth]
                address = "%s/auth"
                trustForwardHeader = false
                [http.middlewares.slow.rateLimit]
                average = 2
                burst = 1
                [http.services.b.loadBalancer]
                [[http.services.b.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url(), b.url()));
        deploy("/", params("config", toml.toString()));
        start();

        // The auth sub-request answers on another thread; later requests come 300 ms after the one
        // before, so each waits ~200 ms for its rate-limit token (one per 500 ms) on a timer (waits
        // up to half a token interval are delayed, not refused). Both resume the chain from a callback.
        for (int i = 0; i < 3; i++) {
            if (i > 0) {
                Thread.sleep(300);
            }
            Http.Reply reply = Http.get(uri("/x" + i));
            assertEquals(200, reply.status(), reply::toString);
            assertEquals("B", reply.backend(), "allowed by A's answer, served by B");
            assertEquals("/x" + i, reply.echo().get("path"));
        }
    }

    @Test
    void tlsRoutersAnswerOnlyWhatTheContainerReceivedOverTls() throws Exception {
        Path toml = tmp.resolve("tls-routers.toml");
        Files.writeString(toml, """
                [http.routers.secure]
                rule = "PathPrefix(`/secure`)"
                service = "a"
                [http.routers.secure.tls]

                [http.routers.plain]
                rule = "PathPrefix(`/plain`)"
                service = "b"

                [http.routers.same-secure]
                rule = "PathPrefix(`/same`)"
                service = "a"
                [http.routers.same-secure.tls]

                [http.routers.same-plain]
                rule = "PathPrefix(`/same`)"
                service = "b"

                [[http.services.a.loadBalancer.servers]]
                url = "%s"
                [[http.services.b.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url(), b.url()));
        deploy("/", params("config", toml.toString()));
        start();
        var client = Http.tls(TlsMaterial.get().clientContext(false));

        Http.Reply secure = Http.get(client, httpsUri("/secure/x"));
        assertEquals(200, secure.status(), secure::toString);
        Map<String, String> seen = secure.echo();
        assertEquals("A", seen.get("backend"));
        assertEquals("https", seen.get("x-forwarded-proto"), "the container received it over TLS");
        assertEquals(Integer.toString(httpsPort()), seen.get("x-forwarded-port"));
        assertEquals("127.0.0.1:" + httpsPort(), seen.get("x-forwarded-host"));
        assertEquals(404, Http.get(uri("/secure/x")).status(), "a TLS router does not answer plain HTTP");

        Http.Reply plain = Http.get(uri("/plain/x"));
        assertEquals(200, plain.status(), plain::toString);
        assertEquals("B", plain.backend());
        assertEquals("http", plain.echo().get("x-forwarded-proto"));
        assertEquals(404, Http.get(client, httpsUri("/plain/x")).status(), "a plain router does not answer HTTPS");

        // The same rule on both: the connection decides.
        assertEquals("A", Http.get(client, httpsUri("/same")).backend());
        assertEquals("B", Http.get(uri("/same")).backend());
        // A client's X-Forwarded-Proto does not make a plain request a TLS one, nor is it believed.
        Http.Reply forged = Http.get(uri("/same"), "X-Forwarded-Proto", "https");
        assertEquals("B", forged.backend());
        assertEquals("http", forged.echo().get("x-forwarded-proto"), "an untrusted client's X-Forwarded-Proto is dropped");
    }

    @Test
    void passTlsClientCertReadsTheCertificateTheContainerVerified() throws Exception {
        Path toml = tmp.resolve("client-cert.toml");
        Files.writeString(toml, """
                [http.routers.secure]
                rule = "PathPrefix(`/`)"
                service = "a"
                middlewares = ["cert"]
                [http.routers.secure.tls]
                [http.middlewares.cert.passTLSClientCert]
                pem = true
                [http.middlewares.cert.passTLSClientCert.info]
                sans = true
                subject.commonName = true
                [[http.services.a.loadBalancer.servers]]
                url = "%s"
                """.formatted(a.url()));
        deploy("/", params("config", toml.toString()));
        start();
        TlsMaterial tls = TlsMaterial.get();

        Http.Reply withCert = Http.get(Http.tls(tls.clientContext(true)), httpsUri("/x"));
        assertEquals(200, withCert.status(), withCert::toString);
        String header = withCert.echo().get("x-forwarded-tls-client-cert");
        assertNotNull(header, "the backend sees the client certificate: " + withCert);
        // Traefik's form: each certificate's DER in base64, the client's own first.
        assertEquals(java.util.Base64.getEncoder().encodeToString(tls.clientCert.getEncoded()), header.split(",")[0]);
        String info = withCert.echo().get("x-forwarded-tls-client-cert-info");
        assertNotNull(info, withCert::toString);
        String decoded = java.net.URLDecoder.decode(info, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(decoded.startsWith("Subject=\"CN=war-client\";SAN=\"war-client.test\""), decoded);

        Http.Reply without = Http.get(Http.tls(tls.clientContext(false)), httpsUri("/x"), "X-Forwarded-Tls-Client-Cert", "forged");
        assertEquals(200, without.status(), without::toString);
        assertFalse(without.echo().containsKey("x-forwarded-tls-client-cert"),
                "no certificate presented, and a client's own header is not passed on: " + without);
        assertFalse(without.echo().containsKey("x-forwarded-tls-client-cert-info"), without::toString);
    }
}
