package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** redirectScheme and redirectRegex over real sockets: exact status and Location, and what goes on to the upstream. */
class PathsRedirectTest extends BackendFixture {
    /**
     * Entry point {@code web} trusts nobody's forwarded headers, {@code trusting} trusts 127.0.0.1;
     * both route everything through {@code middleware} (its TOML table, named m) to the backend.
     */
    private void start(String middleware) throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.trusting]
                address = "127.0.0.1:0"
                [entryPoints.trusting.forwardedHeaders]
                trustedIPs = ["127.0.0.1/32"]
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["m"]
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "%s"
                """.formatted(backend.url()) + middleware);
    }

    private HttpResponse<String> send(String method, String entryPoint, String pathAndQuery, String... headers) throws Exception {
        return PathsClient.send(method, sluice.uri(entryPoint, pathAndQuery), headers);
    }

    private static void assertRedirect(int status, String location, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(location, response.headers().firstValue("Location").orElse(null));
    }

    @Test
    void redirectSchemeStatusesFollowMethodAndPermanence() throws Exception {
        start("""
                [http.middlewares.m.redirectScheme]
                scheme = "https"
                """);
        HttpResponse<String> get = send("GET", "web", "/a/b%2Fc?x=1&y", "Host", "example.com");
        assertRedirect(302, "https://example.com/a/b%2Fc?x=1&y", get);
        assertEquals("Found", get.body());
        assertRedirect(307, "https://example.com/form", send("POST", "web", "/form", "Host", "example.com"));
        // Traefik answers 302 to GET only; HEAD, like any other method, gets 307.
        assertRedirect(307, "https://example.com/", send("HEAD", "web", "/", "Host", "example.com"));
        assertRedirect(302, "https://example.com/", send("GET", "web", "/", "Host", "example.com:8080"));
        assertEquals(0, backend.received(), "a redirect never reaches the upstream");
    }

    @Test
    void redirectSchemePermanent() throws Exception {
        start("""
                [http.middlewares.m.redirectScheme]
                scheme = "https"
                permanent = true
                """);
        HttpResponse<String> get = send("GET", "web", "/p", "Host", "example.com");
        assertRedirect(301, "https://example.com/p", get);
        assertEquals("Moved Permanently", get.body());
        assertRedirect(308, "https://example.com/p", send("PUT", "web", "/p", "Host", "example.com"));
    }

    @Test
    void redirectSchemePortIsKeptUnlessDefault() throws Exception {
        start("""
                [http.middlewares.m.redirectScheme]
                scheme = "https"
                port = "8443"
                """);
        assertRedirect(302, "https://example.com:8443/x?q", send("GET", "web", "/x?q", "Host", "example.com:8080"));
        sluice.close();
        backend.close();
        start("""
                [http.middlewares.m.redirectScheme]
                scheme = "https"
                port = "443"
                """);
        assertRedirect(302, "https://example.com/x", send("GET", "web", "/x", "Host", "example.com:8080"));
        assertRedirect(302, "https://[::1]/x", send("GET", "web", "/x", "Host", "[::1]:8080"));
    }

    @Test
    void redirectSchemeBelievesOnlyATrustedForwardedProto() throws Exception {
        start("""
                [http.middlewares.m.redirectScheme]
                scheme = "https"
                """);
        for (String proto : new String[] {"https", "HTTPS", "wss"}) {
            HttpResponse<String> trusted = send("GET", "trusting", "/in", "Host", "example.com", "X-Forwarded-Proto", proto);
            assertEquals(200, trusted.statusCode(), proto + ": already https behind a trusted proxy");
            assertEquals("/in", backend.take().pathQuery());
        }
        assertRedirect(302, "https://example.com/in",
                send("GET", "web", "/in", "Host", "example.com", "X-Forwarded-Proto", "https"));
        assertRedirect(302, "https://example.com/in",
                send("GET", "trusting", "/in", "Host", "example.com", "X-Forwarded-Proto", "ws"));
        // As in Traefik the port counts too: https on 8443 is not https on the default port.
        assertRedirect(302, "https://example.com/in",
                send("GET", "trusting", "/in", "Host", "example.com:8443", "X-Forwarded-Proto", "https"));
    }

    @Test
    void redirectSchemeToHttp() throws Exception {
        start("""
                [http.middlewares.m.redirectScheme]
                scheme = "http"
                port = "8080"
                """);
        assertRedirect(302, "http://example.com:8080/down",
                send("GET", "trusting", "/down", "Host", "example.com", "X-Forwarded-Proto", "https"));
        assertEquals(200, send("GET", "web", "/down", "Host", "example.com:8080").statusCode(), "already http on 8080");
    }

    @Test
    void redirectRegexRewritesTheWholeUrl() throws Exception {
        start("""
                [http.middlewares.m.redirectRegex]
                regex = "^http://localhost(:[0-9]+)?/(.*)"
                replacement = "https://www.example.com/${2}"
                """);
        HttpResponse<String> get = send("GET", "web", "/a%20b/c?x=%2F", "Host", "localhost:8080");
        assertRedirect(302, "https://www.example.com/a%20b/c?x=%2F", get);
        assertEquals("Found", get.body());
        assertRedirect(307, "https://www.example.com/post", send("POST", "web", "/post", "Host", "localhost"));

        HttpResponse<String> other = send("GET", "web", "/stay", "Host", "example.org");
        assertEquals(200, other.statusCode(), "no match, no redirect");
        assertEquals("/stay", backend.take().pathQuery());
    }

    @Test
    void redirectRegexPermanentAndUnchangedUrl() throws Exception {
        start("""
                [http.middlewares.m.redirectRegex]
                regex = "^http://([^/]+)/old/(.*)"
                replacement = "http://$1/new/$2"
                permanent = true
                """);
        assertRedirect(301, "http://example.com/new/x", send("GET", "web", "/old/x", "Host", "example.com"));
        assertRedirect(308, "http://example.com/new/x", send("DELETE", "web", "/old/x", "Host", "example.com"));
        sluice.close();
        backend.close();
        start("""
                [http.middlewares.m.redirectRegex]
                regex = "^(http://.*)$"
                replacement = "$1"
                """);
        assertEquals(200, send("GET", "web", "/same", "Host", "example.com").statusCode(), "a replacement that changes nothing goes on");
        assertEquals("/same", backend.take().pathQuery());
    }
}
