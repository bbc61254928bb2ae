package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CORS part of {@code headers} on the wire: preflights answered by Sluice (the upstream never
 * sees them), the allowed origin on ordinary responses over the upstream's, wildcard and regex
 * origins, credentials, exposed headers and {@code Vary}.
 */
class HeadersCorsTest extends BackendFixture {
    @TempDir
    Path site;

    private int start(String options) throws Exception {
        backend = new Backend("up");
        sluice = Sluice.start(HeadersMiddlewareTest.config(options, backend.url(), site));
        return sluice.port("web");
    }

    private static RawHttp preflight(int port, String origin, String... more) throws Exception {
        String[] lines = new String[more.length + 2];
        lines[0] = "Origin: " + origin;
        lines[1] = "Access-Control-Request-Method: PUT";
        System.arraycopy(more, 0, lines, 2, more.length);
        return RawHttp.exchange(port, "OPTIONS", "/api", lines);
    }

    @Test
    void preflightIsAnsweredBySluiceWithTheConfiguredHeaders() throws Exception {
        int port = start("""
                accessControlAllowMethods = ["GET", "OPTIONS", "PUT"]
                accessControlAllowHeaders = ["Content-Type", "X-Token"]
                accessControlAllowOriginList = ["https://foo.bar.org", "https://example.org"]
                accessControlExposeHeaders = ["X-Total"]
                accessControlMaxAge = 100
                accessControlAllowCredentials = true
                customResponseHeaders = { X-Custom = "value" }
                """);
        RawHttp answer = preflight(port, "https://example.org");
        assertEquals(200, answer.status());
        assertEquals("https://example.org", answer.header("Access-Control-Allow-Origin"));
        assertEquals("GET,OPTIONS,PUT", answer.header("Access-Control-Allow-Methods"));
        assertEquals("Content-Type,X-Token", answer.header("Access-Control-Allow-Headers"));
        assertEquals("100", answer.header("Access-Control-Max-Age"));
        assertEquals("true", answer.header("Access-Control-Allow-Credentials"));
        assertEquals("X-Total", answer.header("Access-Control-Expose-Headers"));
        assertEquals("0", answer.header("Content-Length"));
        assertEquals("", answer.body());
        assertNull(answer.header("X-Custom"), "Traefik answers preflights before the response headers apply");
        assertEquals(0, backend.received(), "a preflight never reaches the upstream");

        RawHttp stranger = preflight(port, "https://evil.example");
        assertEquals(200, stranger.status());
        assertNull(stranger.header("Access-Control-Allow-Origin"));

        // Without Access-Control-Request-Method it is an ordinary OPTIONS request: forwarded.
        assertEquals(200, RawHttp.exchange(port, "OPTIONS", "/api", "Origin: https://example.org").status());
        assertEquals("OPTIONS", backend.take().method());
    }

    @Test
    void preflightDefaultsSendNoMaxAgeAndWildcardsEchoWithCredentials() throws Exception {
        int port = start("""
                accessControlAllowOriginList = ["*"]
                accessControlAllowMethods = ["*"]
                accessControlAllowHeaders = ["*"]
                accessControlAllowCredentials = true
                """);
        RawHttp answer = preflight(port, "https://any.example", "Access-Control-Request-Headers: X-Token");
        assertEquals(200, answer.status());
        // "*" is not allowed with credentials: the request's own values are named instead.
        assertEquals("https://any.example", answer.header("Access-Control-Allow-Origin"));
        assertEquals("PUT", answer.header("Access-Control-Allow-Methods"));
        assertEquals("X-Token", answer.header("Access-Control-Allow-Headers"));
        assertNull(answer.header("Access-Control-Max-Age"), "unset max age: no header");
        sluice.close();
        backend.close();

        port = start("accessControlAllowOriginList = [\"*\"]\naccessControlAllowMethods = [\"*\"]");
        answer = preflight(port, "https://any.example");
        assertEquals("*", answer.header("Access-Control-Allow-Origin"));
        assertEquals("*", answer.header("Access-Control-Allow-Methods"));
        assertNull(answer.header("Access-Control-Allow-Credentials"));
    }

    @Test
    void allowedOriginOverwritesTheUpstreamsOnOrdinaryResponses() throws Exception {
        int port = start("""
                accessControlAllowOriginList = ["https://example.org"]
                accessControlAllowOriginListRegex = ["^https://[a-z]+\\\\.example\\\\.com$"]
                accessControlExposeHeaders = ["X-Total", "X-Page"]
                accessControlAllowCredentials = true
                addVaryHeader = true
                """);
        String upstreamSays = "/respond?body=x&header=Access-Control-Allow-Origin:https://upstream.example&header=Vary:Accept-Encoding";
        RawHttp listed = RawHttp.exchange(port, "GET", upstreamSays, "Origin: https://example.org");
        assertEquals(200, listed.status());
        assertEquals("https://example.org", listed.header("Access-Control-Allow-Origin"));
        assertEquals("true", listed.header("Access-Control-Allow-Credentials"));
        assertEquals("X-Total,X-Page", listed.header("Access-Control-Expose-Headers"));
        assertEquals("Accept-Encoding,Origin", listed.header("Vary"));

        RawHttp matched = RawHttp.exchange(port, "GET", "/", "Origin: https://shop.example.com");
        assertEquals("https://shop.example.com", matched.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", matched.header("Vary"));

        // An origin that is not allowed leaves the upstream's answer as it was.
        RawHttp other = RawHttp.exchange(port, "GET", upstreamSays, "Origin: https://evil.example");
        assertEquals("https://upstream.example", other.header("Access-Control-Allow-Origin"));
        assertEquals(List.of("GET", "GET", "GET"), List.of(backend.take().method(), backend.take().method(), backend.take().method()));
    }

    @Test
    void regexOriginsMatchAnywhereInTheOriginAsInGo() throws Exception {
        int port = start("accessControlAllowOriginListRegex = [\"example\\\\.net\"]");
        assertEquals("https://www.example.net:8443",
                RawHttp.exchange(port, "GET", "/", "Origin: https://www.example.net:8443").header("Access-Control-Allow-Origin"));
        assertNull(RawHttp.exchange(port, "GET", "/", "Origin: https://example.org").header("Access-Control-Allow-Origin"));
    }

    @Test
    void varyIsLeftAloneWhenItIsAlreadyOrigin() throws Exception {
        int port = start("accessControlAllowOriginList = [\"*\"]\naddVaryHeader = true");
        RawHttp response = RawHttp.exchange(port, "GET", "/respond?body=x&header=Vary:Origin", "Origin: https://a.example");
        assertEquals("Origin", response.header("Vary"));
        assertEquals("*", response.header("Access-Control-Allow-Origin"));
    }
}
