package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client that is not trusted ({@code forwardedHeaders.trustedIPs} does not name it) cannot claim
 * another address: whatever spelling of {@code X-Forwarded-For} / {@code X-Real-Ip} it sends, over
 * HTTP/1.1 (raw, so the exact bytes) and HTTP/2, the upstream sees the connection's address only, and
 * a {@code ClientIP} router for the claimed address never matches. On an entry point that trusts the
 * client ({@code insecure}) the same headers do pass: the check can fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardedSpoofingTest {
    private Backend up;
    private Backend admin;
    private Sluice sluice;
    private HttpClient h2;

    @BeforeAll
    void start() throws Exception {
        up = new Backend("up");
        admin = new Backend("admin");
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.forwardedHeaders]
                trustedIPs = ["10.0.0.0/8"]
                [entryPoints.trusting]
                address = "127.0.0.1:0"
                [entryPoints.trusting.forwardedHeaders]
                insecure = true
                [http.routers.admin]
                rule = "ClientIP(`6.6.6.6`)"
                priority = 100
                service = "admin"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "up"
                [http.services.up.loadBalancer]
                servers = [{url = "%s"}]
                [http.services.admin.loadBalancer]
                servers = [{url = "%s"}]
                """.formatted(up.url(), admin.url()));
        h2 = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        h2.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (h2 != null) {
            h2.stop();
        }
        if (sluice != null) {
            sluice.close();
        }
        for (Backend b : new Backend[] {up, admin}) {
            if (b != null) {
                b.close();
            }
        }
    }

    /** Header lines a client forges, each set sent as one request. */
    static Stream<List<String>> forgeries() {
        return Stream.of(
                List.of("X-Forwarded-For: 6.6.6.6"),
                List.of("X-Real-Ip: 6.6.6.6"),
                List.of("x-forwarded-for: 6.6.6.6", "x-real-ip: 6.6.6.6"),
                List.of("X-FORWARDED-FOR: 6.6.6.6"),
                List.of("X-Forwarded-For: 6.6.6.6", "X-Forwarded-For: 7.7.7.7"),
                List.of("X-Forwarded-For: 6.6.6.6, 127.0.0.1"),
                List.of("X-Forwarded-For:6.6.6.6"),
                List.of("X-Forwarded-For: \t6.6.6.6\t"),
                List.of("X-Forwarded-For:"),
                List.of("X-Real-Ip: 6.6.6.6", "X-Real-Ip: 7.7.7.7"),
                List.of("Forwarded: for=6.6.6.6"),
                List.of("X_Forwarded_For: 6.6.6.6"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void untrustedClientsCannotClaimAnAddressOverHttp1(List<String> lines) throws Exception {
        RawHttp answer = RawHttp.exchange(sluice.port("web"), "GET", "/spoof", lines.toArray(String[]::new));
        assertEquals(200, answer.status());
        assertEquals("up", answer.body(), "a ClientIP router matched a claimed address");
        assertOnlyTheConnectionsAddress(up.take());
        assertEquals(0, admin.received());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void untrustedClientsCannotClaimAnAddressOverHttp2(List<String> lines) throws Exception {
        Request request = h2.newRequest(sluice.uri("web", "/spoof"));
        for (String line : lines) {
            int colon = line.indexOf(':');
            request.headers(h -> h.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        ContentResponse answer = request.send();
        assertEquals(200, answer.getStatus());
        assertEquals("up", answer.getContentAsString());
        assertOnlyTheConnectionsAddress(up.take());
        assertEquals(0, admin.received());
    }

    @Test
    void aTrustedPeerDoesPassThem() throws Exception {
        RawHttp answer = RawHttp.exchange(sluice.port("trusting"), "GET", "/spoof", "X-Forwarded-For: 6.6.6.6", "X-Real-Ip: 6.6.6.6");
        assertEquals("up", answer.body(), "ClientIP matches the connection, never X-Forwarded-For (as Traefik)");
        Backend.Seen seen = up.take();
        assertEquals("6.6.6.6, 127.0.0.1", seen.headers().get("X-Forwarded-For"));
        assertEquals("6.6.6.6", seen.headers().get("X-Real-Ip"));
    }

    private static void assertOnlyTheConnectionsAddress(Backend.Seen seen) {
        assertEquals(List.of("127.0.0.1"), seen.headers().getValuesList("X-Forwarded-For"), seen.headers().toString());
        assertEquals(List.of("127.0.0.1"), seen.headers().getValuesList("X-Real-Ip"), seen.headers().toString());
        assertFalse(seen.headers().toString().contains("6.6.6.6"), seen.headers().toString());
        assertFalse(seen.headers().toString().contains("7.7.7.7"), seen.headers().toString());
    }
}
