package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [tracing]}: Traefik's keys and defaults, typed at load, bad values rejected with their key path. */
class TracingConfigTest {
    @Test
    void defaultsAreTraefiksWithSluicesServiceName() throws Exception {
        SluiceConfig config = ConfigLoader.parse("[tracing]\n", "t.toml");
        TracingConfig t = config.tracing();
        assertEquals("sluice", t.serviceName());
        assertEquals(1.0, t.sampleRate());
        assertFalse(t.addInternals());
        assertEquals(List.of(), t.capturedRequestHeaders());
        assertEquals("http://localhost:4318/v1/traces", t.otlp().http().endpoint());
        assertNull(t.otlp().grpc());
        assertEquals(List.of(), config.warnings(), "tracing is implemented: no 'not supported' warning");
        assertNull(ConfigLoader.parse("[entryPoints.web]\naddress = \":80\"\n", "t.toml").tracing());
    }

    @Test
    void everyKeyInYaml() throws Exception {
        SluiceConfig config = ConfigLoader.parse("""
                tracing:
                  serviceName: edge
                  sampleRate: 0.5
                  addInternals: true
                  capturedRequestHeaders: [User-Agent]
                  capturedResponseHeaders: [Content-Type]
                  safeQueryParams: [page]
                  resourceAttributes: {region: eu}
                  globalAttributes: {region: us, team: ops}
                  otlp:
                    grpc:
                      endpoint: collector:4317
                      insecure: true
                      headers: {x-tenant: blue}
                """, "t.yaml");
        TracingConfig t = config.tracing();
        assertEquals("edge", t.serviceName());
        assertEquals(0.5, t.sampleRate());
        assertTrue(t.addInternals());
        assertEquals(List.of("User-Agent"), t.capturedRequestHeaders());
        assertEquals(List.of("Content-Type"), t.capturedResponseHeaders());
        assertEquals(List.of("page"), t.safeQueryParams());
        assertEquals(Map.of("region", "eu", "team", "ops"), t.allResourceAttributes(), "resourceAttributes win over the older name");
        assertNull(t.otlp().http());
        assertEquals("collector:4317", t.otlp().grpc().endpoint());
        assertTrue(t.otlp().grpc().insecure());
        assertEquals(Map.of("x-tenant", "blue"), t.otlp().grpc().headers());
        assertEquals(List.of("`tracing.globalAttributes`: deprecated in Traefik, use resourceAttributes (merged into them)"),
                config.warnings());
    }

    @Test
    void grpcDefaultsToLocalhostWithTls() throws Exception {
        TracingConfig.Grpc grpc = ConfigLoader.parse("[tracing.otlp.grpc]\n", "t.toml").tracing().otlp().grpc();
        assertEquals("localhost:4317", grpc.endpoint());
        assertFalse(grpc.insecure());
    }

    @Test
    void badValuesNameTheirKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                [tracing]
                sampleRate = 1.5
                capturedRequestHeaders = ["Bad Header"]
                [tracing.otlp.http]
                endpoint = "localhost:4318"
                [tracing.otlp.http.tls]
                cert = "/nonexistent/cert.pem"
                """, "t.toml"));
        assertEquals(List.of("tracing.sampleRate: must be between 0 and 1, got 1.5",
                "tracing.capturedRequestHeaders[0]: \"Bad Header\" is not a header name",
                "tracing.otlp.http.endpoint: \"localhost:4318\" is not an http(s) URL, e.g. http://localhost:4318/v1/traces",
                "tracing.otlp.http.tls.cert: cannot read /nonexistent/cert.pem",
                "tracing.otlp.http.tls: cert and key go together"), e.problems());
        ConfigException grpc = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "[tracing.otlp.grpc]\nendpoint = \"http://collector:4317\"\n", "t.toml"));
        assertEquals(List.of("tracing.otlp.grpc.endpoint: \"http://collector:4317\" is not host:port, e.g. localhost:4317"),
                grpc.problems());
    }

    @Test
    void aMisspeltKeyIsAnErrorWithASuggestion() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("[tracing]\nsampleRat = 0.5\n", "t.toml"));
        assertTrue(e.getMessage().contains("sampleRate"), e.getMessage());
    }
}
