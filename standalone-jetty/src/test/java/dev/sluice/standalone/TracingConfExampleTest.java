package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.TracingConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/tracing.toml loads as its comments say, and exports a sampled caller's trace with the attributes it names. */
class TracingConfExampleTest {
    private static final Path FILE = Path.of("..", "conf", "tracing.toml");

    @Test
    void theExampleExportsTheCallersTraceWithItsResourceAndHeaders() throws Exception {
        SluiceConfig loaded = ConfigLoader.load(List.of(FILE));
        assertEquals(List.of(), loaded.warnings());
        TracingConfig tracing = loaded.tracing();
        assertEquals("edge-proxy", tracing.serviceName());
        assertEquals(0.25, tracing.sampleRate());
        assertEquals(List.of("page"), tracing.safeQueryParams());
        assertEquals("http://127.0.0.1:4318/v1/traces", tracing.otlp().http().endpoint());
        assertEquals(Map.of("Authorization", "Bearer collector-token"), tracing.otlp().http().headers());

        try (OtlpReceiver receiver = OtlpReceiver.http(); Backend backend = new Backend("9001")) {
            String text = Files.readString(FILE).replace("http://127.0.0.1:4318/v1/traces", "http://127.0.0.1:" + receiver.port()
                    + "/v1/traces");
            SluiceConfig config = Configs.servers(Configs.entryPointsOnLoopback(ConfigLoader.parse(text, "tracing.toml"), Set.of("web")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + backend.port()));
            String trace = "5b8efff798038103d269b633813fc60c";
            EmbeddedServer sluice = EmbeddedServer.start(config);
            try {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                // sampleRate 0.25 applies to traces Sluice starts; a sampled caller's trace is kept whatever the draw.
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port("web")
                        + "/list?page=3&session=abc")).header("traceparent", "00-" + trace + "-eee19b7ec3c1b174-01")
                        .header("User-Agent", "example-check").build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode());
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                    sluice.runtime().tracing().flush(5);
                    return receiver.spans().stream().anyMatch(s -> s.traceId().equals(trace) && s.name().equals("GET app"));
                });
            } finally {
                sluice.closeNow(); // the graceful stop would wait for the client's idle keep-alive connection
            }
            OtlpReceiver.Received server = receiver.spans().stream().filter(s -> s.name().equals("GET app")).findFirst().orElseThrow();
            assertEquals("edge-proxy", server.resourceString("service.name"));
            assertEquals("staging", server.resourceString("deployment.environment"));
            assertEquals("page=3&session=REDACTED", server.string("url.query"));
            assertEquals("example-check", server.attributes().get("http.request.header.user-agent").getArrayValue().getValues(0)
                    .getStringValue());
            assertEquals("Bearer collector-token", receiver.exportHeaders().get(0).get("authorization"));
        }
    }
}
