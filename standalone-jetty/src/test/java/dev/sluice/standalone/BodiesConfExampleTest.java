package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/middlewares.d/bodies.toml loads and its middlewares behave as its comments say. */
class BodiesConfExampleTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void bodiesExampleCompressesBuffersAndRewrites() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("../conf/middlewares.d/bodies.toml")));
        try (Backend app = new Backend("app")) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + app.port()));
            try (Sluice proxy = Sluice.start(local)) {
                String base = "http://127.0.0.1:" + proxy.port("web");

                HttpResponse<byte[]> compressed = client.send(HttpRequest.newBuilder(URI.create(base + "/bytes?n=100000"))
                        .header("Accept-Encoding", "gzip, zstd").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals("zstd", compressed.headers().firstValue("Content-Encoding").orElse(null), "zstd is preferred here");
                assertArrayEquals(CompressMiddlewareTest.pattern(100_000), CompressMiddlewareTest.decode("zstd", compressed.body()));

                HttpResponse<String> upload = client.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(2_000_000))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, upload.statusCode());
                assertEquals(true, upload.body().startsWith("bytes=2000000 "), upload.body());
                app.take(); // the /bytes request
                assertEquals("2000000", app.take().headers().get("Content-Length"), "forwarded with a fixed length");

                String page = "<title>Intro</title><a href=\"http://old.example.com/x\">x</a>";
                HttpResponse<String> docs = client.send(HttpRequest.newBuilder(URI.create(base + "/docs/respond?type=text/html&body="
                        + URLEncoder.encode(page, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("<title>Intro - Docs</title><a href=\"https://new.example.com/x\">x</a>", docs.body());
            }
        }
    }
}
