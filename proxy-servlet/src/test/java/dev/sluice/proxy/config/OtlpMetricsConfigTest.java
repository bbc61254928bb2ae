package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code [metrics.otlp]}: Traefik's keys and defaults, which families win, and bad values with their key paths. */
class OtlpMetricsConfigTest {
    @Test
    void defaultsAreTraefiks() throws Exception {
        SluiceConfig config = ConfigLoader.parse("[metrics.otlp]\n", "t.toml");
        OtlpMetricsConfig otlp = config.metrics().otlp();
        assertEquals(Duration.ofSeconds(10), otlp.pushInterval());
        assertEquals("sluice", otlp.serviceName());
        assertEquals(OtlpMetricsConfig.DEFAULT_BOUNDARIES, otlp.explicitBoundaries());
        assertEquals("http://localhost:4318/v1/metrics", otlp.httpOrDefault().endpoint());
        assertTrue(otlp.addEntryPointsLabels());
        assertFalse(otlp.addRoutersLabels());
        assertTrue(otlp.addServicesLabels());
        assertEquals(List.of(), config.warnings(), "metrics.otlp is implemented: no 'not supported' warning");
    }

    @Test
    void everyKeyIsRead() throws Exception {
        OtlpMetricsConfig otlp = ConfigLoader.parse("""
                [metrics.otlp]
                addRoutersLabels = true
                addServicesLabels = false
                explicitBoundaries = [0.5, 1.0]
                pushInterval = "250ms"
                serviceName = "edge"
                resourceAttributes = { "deployment.environment" = "test" }
                [metrics.otlp.grpc]
                endpoint = "collector:4317"
                insecure = true
                headers = { authorization = "Bearer x" }
                """, "t.toml").metrics().otlp();
        assertEquals(Duration.ofMillis(250), otlp.pushInterval());
        assertEquals("edge", otlp.serviceName());
        assertEquals(Map.of("deployment.environment", "test"), otlp.resourceAttributes());
        assertEquals(List.of(0.5, 1.0), otlp.explicitBoundaries());
        assertNull(otlp.httpOrDefault(), "grpc given: no http");
        assertEquals("collector:4317", otlp.grpc().endpoint());
        assertTrue(otlp.grpc().insecure());
        assertEquals(Map.of("authorization", "Bearer x"), otlp.grpc().headers());
        PrometheusConfig families = otlp.families();
        assertTrue(families.addRoutersLabels());
        assertFalse(families.addServicesLabels());
        assertEquals(List.of(0.5, 1.0), families.buckets());
    }

    @Test
    void prometheusLabelOptionsWinWhenBothAreGiven() throws Exception {
        MetricsConfig metrics = ConfigLoader.parse("""
                [metrics.prometheus]
                addRoutersLabels = false
                [metrics.otlp]
                addRoutersLabels = true
                """, "t.toml").metrics();
        assertSame(metrics.prometheus(), metrics.families());
        assertFalse(metrics.families().addRoutersLabels());
        assertNull(ConfigLoader.parse("[entryPoints.web]\naddress = \":80\"\n", "t.toml").metrics().families());
    }

    @Test
    void bothTransportsLoadWithHttpUsedAndAWarning() throws Exception {
        SluiceConfig config = ConfigLoader.parse("""
                [metrics.otlp.http]
                endpoint = "http://127.0.0.1:4318"
                [metrics.otlp.grpc]
                endpoint = "127.0.0.1:4317"
                """, "t.toml");
        assertEquals("http://127.0.0.1:4318", config.metrics().otlp().httpOrDefault().endpoint());
        assertEquals(List.of("`metrics.otlp.grpc`: both http and grpc are given, http is used"), config.warnings());
    }

    @Test
    void badValuesNameTheirKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("""
                [metrics.otlp]
                pushInterval = "0s"
                explicitBoundaries = [1.0, 0.5]
                [metrics.otlp.http]
                endpoint = "localhost:4318"
                headers = { "bad header" = "x" }
                [metrics.otlp.grpc]
                endpoint = "no-port"
                """, "t.toml"));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("metrics.otlp.pushInterval: must be positive"), all);
        assertTrue(all.contains("metrics.otlp.explicitBoundaries[1]: buckets must increase"), all);
        assertTrue(all.contains("metrics.otlp.http.endpoint: \"localhost:4318\" is not an http(s) URL"), all);
        assertTrue(all.contains("metrics.otlp.http.headers.bad header: "), all);
        assertTrue(all.contains("metrics.otlp.grpc.endpoint: \"no-port\" is not host:port"), all);
    }
}
