package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.testing.RefusingPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/middlewares.d/traffic.toml loads and behaves as its comments say. */
class TrafficConfExampleTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void trafficExampleLoadsAndItsMiddlewaresWork() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("../conf/middlewares.d/traffic.toml")));
        try (Backend live = new Backend("9102"); RefusingPort down = new RefusingPort()) {
            // 9101 stays dead: the retry router must still answer from 9102.
            String dead = down.url();
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")), url -> url
                    .replace("http://127.0.0.1:9101", dead)
                    .replace("127.0.0.1:9102", "127.0.0.1:" + live.port()));
            try (Sluice sluice = Sluice.start(local)) {
                String web = "http://127.0.0.1:" + sluice.port("web");
                for (int i = 0; i < 4; i++) {
                    assertEquals(200, status(web + "/traffic/orders/" + i, null), "retried on the live server");
                }
                // The allow list reads X-Forwarded-For from the trusted 127.0.0.1.
                assertEquals(403, status(web + "/traffic/admin", "203.0.113.9"));
                assertNotEquals(403, status(web + "/traffic/admin", "192.168.1.20"), "allowed through to the service");
            }
        }
    }

    private int status(String url, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
