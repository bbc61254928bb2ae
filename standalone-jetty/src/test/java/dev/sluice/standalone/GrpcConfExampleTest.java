package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** conf/middlewares.d/grpc.toml loads and routes gRPC, gRPC-Web and Pingap's grpc-web as its comments say. */
class GrpcConfExampleTest {
    @Test
    void grpcExampleServesGrpcAndGrpcWeb() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("../conf/middlewares.d/grpc.toml")));
        try (GrpcBackend backend = new GrpcBackend()) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")),
                    url -> url.replace("127.0.0.1:50051", "127.0.0.1:" + backend.port()));
            try (Sluice proxy = Sluice.start(local)) {
                ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", proxy.port("web"),
                        InsecureChannelCredentials.create()).overrideAuthority("api.example.com").build();
                try {
                    CallOptions deadline = CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
                    // The first health check may miss its 2 s on a loaded machine (a cold JVM on both sides);
                    // the server is then out until the next check, 5 s later.
                    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertEquals("native",
                            GrpcBackend.call(channel, GrpcBackend.UNARY, "native", CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS))));
                    assertEquals("api.example.com", GrpcBackend.call(channel, GrpcBackend.AUTHORITY, "", deadline));
                } finally {
                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (String prefix : List.of("/web/", "/pingap/")) {
                    String body = Base64.getEncoder().encodeToString(GrpcWebTest.frame("browser"));
                    HttpResponse<String> web = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + proxy.port("web") + prefix + GrpcBackend.SERVICE + "/Unary"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/grpc-web-text")
                            .header("Origin", "https://app.example.com")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, web.statusCode(), prefix);
                    List<GrpcWebTest.Frame> frames = GrpcWebTest.frames(GrpcWebTest.decodeText(web.body()));
                    assertEquals("browser", frames.get(0).text());
                    assertTrue(frames.get(1).text().contains("grpc-status: 0"));
                    // Only grpcWeb lists origins; Pingap's plugin has none.
                    assertEquals(prefix.equals("/web/") ? "https://app.example.com" : null,
                            web.headers().firstValue("Access-Control-Allow-Origin").orElse(null), prefix);
                }
            }
        }
    }
}
