package dev.sluice.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code [metrics.prometheus]} inside sluice.war, in Tomcat and in Jetty: seven requests through the
 * container, then {@code prometheus@internal} scraped through a router of the configuration, on the
 * container's own port (a WAR has no entry points of its own).
 */
class MetricsWarIT {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer upstream;

    @TempDir
    Path tmp;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        upstream.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
    }

    @AfterEach
    void stopUpstream() {
        upstream.stop(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tomcat", "jetty"})
    void scrapedThroughARouterToPrometheusInternal(String container) throws Exception {
        WarContract war = container.equals("tomcat") ? new TomcatWarIT() : new JettyWarIT();
        war.tmp = Files.createDirectories(tmp.resolve(container));
        if (war instanceof TomcatWarIT tomcat) {
            tomcat.createTomcat();
        } else {
            ((JettyWarIT) war).createJetty();
        }
        Path toml = Files.writeString(tmp.resolve(container + ".toml"), """
                [metrics.prometheus]
                manualRouting = true
                [http.routers.stats]
                rule = "Path(`/stats`)"
                priority = 100
                service = "prometheus@internal"
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "app"
                [http.services.app.loadBalancer]
                servers = [{url = "http://127.0.0.1:%d"}]
                """.formatted(upstream.getAddress().getPort()));
        war.deploy("/", WarContract.params("config", toml.toString()));
        try {
            war.start();
            String base = "http://127.0.0.1:" + war.port();
            for (int i = 0; i < 7; i++) {
                assertEquals("hello", send(base + "/x").body());
            }
            String[] text = new String[1];
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    text[0] = send(base + "/stats").body();
                    return value(text[0], "sluice_service_requests_total", "code=\"200\",method=\"GET\",protocol=\"http\",service=\"app\"") == 7;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("never 7 in\n" + text[0], e);
            }
            assertEquals(7, value(text[0], "sluice_entrypoint_requests_total",
                    "code=\"200\",entrypoint=\"default\",method=\"GET\",protocol=\"http\""), text[0]);
            assertEquals(35, value(text[0], "sluice_entrypoint_responses_bytes_total",
                    "code=\"200\",entrypoint=\"default\",method=\"GET\",protocol=\"http\""), text[0]);
            assertEquals(1, value(text[0], "sluice_service_server_up", "service=\"app\",url=\"http://127.0.0.1:"
                    + upstream.getAddress().getPort() + "\""), text[0]);
            assertTrue(text[0].contains("\njvm_memory_used_bytes{"), text[0]);
        } finally {
            war.stop();
        }
    }

    /** The value of the sample {@code name{labels}} (labels as the writer sorts them); -1 when absent. */
    private static double value(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private HttpResponse<String> send(String uri) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
