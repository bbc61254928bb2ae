package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.config.middleware.ForwardAuthConfig;
import dev.sluice.proxy.config.middleware.JwtConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** conf/middlewares.d/auth.toml loads and its middlewares behave as its comments say. */
class AuthConfExampleTest {
    private static final Path FILE = Path.of("..", "conf", "middlewares.d", "auth.toml");

    /** The example with its forwardAuth pointed at {@code authUrl}. */
    private static SluiceConfig withAuthServer(SluiceConfig config, String authUrl) {
        Map<String, MiddlewareConfig> middlewares = new LinkedHashMap<>(config.http().middlewares());
        middlewares.computeIfPresent("auth-forward", (name, m) -> {
            ForwardAuthConfig o = (ForwardAuthConfig) m.options();
            return m.withOptions(new ForwardAuthConfig(authUrl, o.trustForwardHeader(), o.authResponseHeaders(),
                    o.authResponseHeadersRegex(), o.authRequestHeaders(), o.addAuthCookiesToResponse(), o.forwardBody(),
                    o.maxBodySize(), o.maxResponseBodySize(), o.headerField(), o.preserveLocationHeader(),
                    o.preserveRequestMethod(), o.authSigninURL(), o.tls()));
        });
        HttpConfig http = config.http();
        return new SluiceConfig(config.entryPoints(), new HttpConfig(http.routers(), http.services(), middlewares, http.serversTransports()));
    }

    @Test
    void everyExampleMiddlewareGuardsItsRouter() throws Exception {
        SluiceConfig config = ConfigLoader.load(List.of(FILE));
        try (Backend app = new Backend("app"); Backend auth = new Backend("auth")) {
            SluiceConfig local = withAuthServer(Configs.servers(Configs.entryPointsOnLoopback(config, Set.of("web")),
                    url -> url.replace("127.0.0.1:9001", "127.0.0.1:" + app.port())),
                    auth.url() + "/respond?status=200&header=X-Auth-User:alice");
            try (Sluice sluice = Sluice.start(local)) {
                String web = "http://127.0.0.1:" + sluice.port("web");

                assertEquals(401, AuthTestSupport.get(URI.create(web + "/basic/")).statusCode());
                assertEquals(200, AuthTestSupport.get(URI.create(web + "/basic/"), "Authorization", basic("admin", "sluice")).statusCode());
                assertEquals("admin", app.take().headers().get("X-WebAuth-User"));
                assertEquals(200, AuthTestSupport.get(URI.create(web + "/basic/"), "Authorization", basic("ops", "sluice")).statusCode());
                app.take();

                assertEquals(401, AuthTestSupport.get(URI.create(web + "/digest/")).statusCode());

                assertEquals(200, AuthTestSupport.get(URI.create(web + "/forward/x")).statusCode());
                assertEquals("alice", app.take().headers().get("X-Auth-User"));
                assertEquals("/forward/x", auth.take().headers().get("X-Forwarded-Uri"));

                assertEquals(401, AuthTestSupport.get(URI.create(web + "/key/")).statusCode());
                assertEquals(200, AuthTestSupport.get(URI.create(web + "/key/"), "X-Api-Key", "key-two").statusCode());
                assertNull(app.take().headers().get("X-Api-Key"), "hideCredentials");

                String secret = ((JwtConfig) config.http().middlewares().get("auth-jwt").options()).secret();
                SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("ann").build());
                token.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
                assertEquals(401, AuthTestSupport.get(URI.create(web + "/jwt/")).statusCode());
                assertEquals(200, AuthTestSupport.get(URI.create(web + "/jwt/"), "Authorization", "Bearer " + token.serialize()).statusCode());
            }
        }
    }
}
