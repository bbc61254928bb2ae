package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RefusingPort;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** forwardAuth over real sockets: a real auth server (a Backend answering to order), a real upstream, the JDK client. */
class ForwardAuthTest {
    private Backend upstream;
    private Backend authServer;
    private Sluice sluice;

    @BeforeEach
    void servers() throws Exception {
        upstream = new Backend("up");
        authServer = new Backend("auth");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sluice, upstream, authServer}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private void start(String authQuery, String moreOptions) throws Exception {
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.forwardAuth]
                address = "%s/respond?%s"
                """.formatted(authServer.url(), authQuery) + moreOptions));
    }

    private HttpResponse<String> send(String method, String pathQuery, String body, String... headers) throws Exception {
        return AuthTestSupport.send(method, sluice.uri("web", pathQuery), body, headers);
    }

    @Test
    void aTwoHundredLetsTheRequestThroughWithTheListedHeadersAndTheForwardedDescription() throws Exception {
        start("status=200&header=X-Auth-User:ann&header=X-Other:o", """
                authResponseHeaders = ["X-Auth-User"]
                """);
        HttpResponse<String> response = send("POST", "/app/x?q=1", "payload", "Authorization", "Bearer t",
                "X-Auth-User", "forged", "X-Forwarded-Uri", "/spoofed");
        assertEquals(200, response.statusCode());
        assertEquals("up", response.body());

        Backend.Seen asked = authServer.take();
        assertEquals("GET", asked.method(), "the auth request is a GET unless preserveRequestMethod");
        assertEquals("", asked.body(), "no body unless forwardBody");
        assertEquals("Bearer t", asked.headers().get("Authorization"));
        assertEquals("POST", asked.headers().get("X-Forwarded-Method"));
        assertEquals("/app/x?q=1", asked.headers().get("X-Forwarded-Uri"), "trustForwardHeader unset: the client's value is overwritten");
        assertEquals("http", asked.headers().get("X-Forwarded-Proto"));
        assertEquals("127.0.0.1:" + sluice.port("web"), asked.headers().get("X-Forwarded-Host"));
        assertEquals("127.0.0.1", asked.headers().get("X-Forwarded-For"));

        Backend.Seen forwarded = upstream.take();
        assertEquals("POST", forwarded.method());
        assertEquals("/app/x?q=1", forwarded.pathQuery());
        assertEquals("ann", forwarded.headers().get("X-Auth-User"), "the auth server's value replaces the client's");
        assertNull(forwarded.headers().get("X-Other"), "only listed headers are copied");
    }

    @Test
    void anyOtherStatusIsTheAuthServersAnswerAndNothingReachesTheUpstream() throws Exception {
        start("status=403&type=text/plain&body=nope&header=X-Reason:policy", "");
        HttpResponse<String> response = send("GET", "/", null);
        assertEquals(403, response.statusCode());
        assertEquals("nope", response.body());
        assertEquals("policy", response.headers().firstValue("X-Reason").orElseThrow());
        assertEquals("text/plain", response.headers().firstValue("Content-Type").orElseThrow());
        authServer.take();
        assertEquals(0, upstream.received());
    }

    @Test
    void relativeRedirectsGetTheAuthServersOriginUnlessPreserved() throws Exception {
        start("status=302&header=Location:/login?next=1", "");
        HttpResponse<String> response = send("GET", "/", null);
        assertEquals(302, response.statusCode());
        assertEquals(authServer.url() + "/login?next=1", response.headers().firstValue("Location").orElseThrow());
        sluice.close();

        start("status=302&header=Location:/login?next=1", "preserveLocationHeader = true\n");
        assertEquals("/login?next=1", send("GET", "/", null).headers().firstValue("Location").orElseThrow());
    }

    @Test
    void authSigninUrlRedirectsOnlyA401() throws Exception {
        start("status=401&body=who", "authSigninURL = \"https://login.example/start\"\n");
        HttpResponse<String> response = send("GET", "/", null);
        assertEquals(302, response.statusCode());
        assertEquals("https://login.example/start", response.headers().firstValue("Location").orElseThrow());
        sluice.close();

        start("status=403&body=no", "authSigninURL = \"https://login.example/start\"\n");
        assertEquals(403, send("GET", "/", null).statusCode());
    }

    @Test
    void anUnreachableAuthServerGives500AsInTraefik() throws Exception {
        try (RefusingPort down = new RefusingPort()) {
            sluice = Sluice.start(config(upstream, """
                    [http.middlewares.auth.forwardAuth]
                    address = "%s/auth"
                    """.formatted(down.url())));
            HttpResponse<String> response = send("GET", "/", null);
            assertEquals(500, response.statusCode());
            assertEquals(0, upstream.received());
        }
    }

    @Test
    void forwardBodyAndPreserveRequestMethodSendTheBodyToBothAndLimitIt() throws Exception {
        start("status=200", """
                forwardBody = true
                preserveRequestMethod = true
                maxBodySize = 16
                """);
        assertEquals(200, send("PUT", "/u", "hello body").statusCode());
        Backend.Seen asked = authServer.take();
        assertEquals("PUT", asked.method());
        assertEquals("hello body", asked.body());
        assertEquals("hello body", upstream.take().body(), "the kept body is replayed to the upstream");

        assertEquals(401, send("PUT", "/u", "a body longer than sixteen bytes").statusCode());
        assertEquals(0, upstream.received());
        assertEquals(0, authServer.received(), "an oversized body is refused before asking");
    }

    @Test
    void anAuthResponseBodyOverMaxResponseBodySizeGives401() throws Exception {
        start("status=403&body=much-too-long", "maxResponseBodySize = 4\n");
        assertEquals(401, send("GET", "/", null).statusCode());
    }

    @Test
    void regexHeadersReplaceTheClientsAndTrustedForwardHeadersAreKept() throws Exception {
        start("status=204&header=X-Auth-User:ann&header=X-Auth-Role:admin&header=X-Else:e", """
                authResponseHeadersRegex = "^X-Auth-"
                trustForwardHeader = true
                authRequestHeaders = ["Authorization", "X-Forwarded-Uri"]
                """);
        assertEquals(200, send("GET", "/r", null, "X-Auth-Forged", "1", "Authorization", "Basic x", "Cookie", "c=1",
                "X-Forwarded-Uri", "/from-client").statusCode());
        Backend.Seen asked = authServer.take();
        assertEquals("Basic x", asked.headers().get("Authorization"));
        assertNull(asked.headers().get("Cookie"), "authRequestHeaders lists what is sent");
        assertEquals("/from-client", asked.headers().get("X-Forwarded-Uri"), "trusted: the client's value is kept");
        assertEquals(String.valueOf(sluice.port("web")), asked.headers().get("X-Forwarded-Port"),
                "X-Forwarded-Port (from Host) is set in the explicit trust modes");
        Backend.Seen forwarded = upstream.take();
        assertEquals("ann", forwarded.headers().get("X-Auth-User"));
        assertEquals("admin", forwarded.headers().get("X-Auth-Role"));
        assertNull(forwarded.headers().get("X-Auth-Forged"), "client headers matching the regex are dropped");
        assertNull(forwarded.headers().get("X-Else"));
        assertEquals("c=1", forwarded.headers().get("Cookie"));
    }

    @Test
    void listedAuthCookiesReachTheClientAndWinOverTheUpstreams() throws Exception {
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.forwardAuth]
                address = "%s/respond?status=200&header=Set-Cookie:session=auth&header=Set-Cookie:other=auth"
                addAuthCookiesToResponse = ["session"]
                """.formatted(authServer.url())));
        HttpResponse<String> response = send("GET", "/respond?header=Set-Cookie:session=up&header=Set-Cookie:mine=up", null);
        assertEquals(200, response.statusCode());
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertTrue(cookies.contains("session=auth"), cookies.toString());
        assertTrue(cookies.contains("mine=up"), cookies.toString());
        assertEquals(2, cookies.size(), cookies.toString());
    }

    @Test
    void manySlowSubRequestsAtOnceAllComplete() throws Exception {
        start("status=200&body=ok&chunks=2&gapMs=300", "");
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(AuthTestSupport.CLIENT.sendAsync(java.net.http.HttpRequest.newBuilder(sluice.uri("web", "/" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : all) {
            assertEquals(200, response.get().statusCode());
        }
        assertEquals(40, upstream.received());
    }
}
