package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/middlewares.d/headers.toml loads and does what its comments say, against a real backend. */
class HeadersConfExampleTest {

    @Test
    void headersExampleWorksAsAnnotated() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(Path.of("../conf/middlewares.d/headers.toml")));
        try (Backend app = new Backend("9001")) {
            SluiceConfig local = Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + app.port()));
            try (Sluice sluice = Sluice.start(local)) {
                int port = sluice.port("web");
                RawHttp page = RawHttp.exchange(port, "GET", "/respond?body=%3Chtml%3Ehi&header=X-Powered-By:php"
                        + "&header=X-Upstream-Time:12ms&header=Cache-Control:public", "X-Debug: 1");
                assertEquals(200, page.status());
                assertEquals("DENY", page.header("X-Frame-Options"));
                assertEquals("nosniff", page.header("X-Content-Type-Options"));
                assertNull(page.header("Strict-Transport-Security"), "plain HTTP");
                assertNull(page.header("X-Powered-By"));
                assertEquals("sluice", page.header("X-Served-By"));
                assertEquals("private", page.header("Cache-Control"));
                assertEquals("noindex", page.header("X-Robots-Tag"));
                assertEquals("12ms", page.header("X-App-Time"));
                assertEquals("text/html;charset=utf-8", page.header("Content-Type").replace(" ", ""));
                Backend.Seen seen = app.take();
                assertEquals("sluice", seen.headers().get("X-Script-Name"));
                assertNull(seen.headers().get("X-Debug"));
                assertEquals(seen.headers().get("X-Request-Id"), page.header("X-Request-Id"));

                RawHttp overTls = RawHttp.exchange(port, "GET", "/", "X-Forwarded-Proto: https");
                assertTrue(overTls.header("Strict-Transport-Security").startsWith("max-age=31536000"));

                RawHttp preflight = RawHttp.exchange(port, "OPTIONS", "/api/items", "Origin: https://app.example.com",
                        "Access-Control-Request-Method: PUT");
                assertEquals(200, preflight.status());
                assertEquals("https://app.example.com", preflight.header("Access-Control-Allow-Origin"));
                assertEquals("600", preflight.header("Access-Control-Max-Age"));
                RawHttp api = RawHttp.exchange(port, "GET", "/api/items", "Origin: https://shop.example.org");
                assertEquals("https://shop.example.org", api.header("Access-Control-Allow-Origin"));
                assertEquals("Origin", api.header("Vary"));
                assertEquals(2, app.received(), "the page and the API call; the preflight stayed in Sluice");
            }
        }
    }
}
