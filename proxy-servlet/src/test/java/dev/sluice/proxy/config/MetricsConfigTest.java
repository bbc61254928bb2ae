package dev.sluice.proxy.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code [metrics.prometheus]}: Traefik's defaults, its keys typed at load, and bad values rejected with their key path. */
class MetricsConfigTest {
    @Test
    void traefiksDefaults() throws Exception {
        PrometheusConfig p = ConfigLoader.parse("[metrics.prometheus]\n", "t.toml").metrics().prometheus();
        assertEquals(List.of(0.1, 0.3, 1.2, 5.0), p.buckets());
        assertTrue(p.addEntryPointsLabels());
        assertFalse(p.addRoutersLabels());
        assertTrue(p.addServicesLabels());
        assertEquals("traefik", p.entryPoint());
        assertFalse(p.manualRouting());
        assertEquals(Map.of(), p.headerLabels());
        assertEquals("sluice", p.prefix());
        assertFalse(ConfigLoader.parse("[metrics.prometheus]\n", "t.toml").metrics().measuresInternals());
    }

    @Test
    void withoutTheSectionThereAreNoMetrics() throws Exception {
        assertNull(ConfigLoader.parse("[entryPoints.web]\naddress = \":80\"\n", "t.toml").metrics().prometheus());
        assertNull(ConfigLoader.parse("[metrics.datadog]\n", "t.toml").metrics().prometheus());
    }

    @Test
    void everyKeyInYaml() throws Exception {
        SluiceConfig config = ConfigLoader.parse("""
                entryPoints:
                  metrics: {address: "127.0.0.1:9100"}
                metrics:
                  addInternals: true
                  prometheus:
                    buckets: [0.05, 0.5, 2]
                    addEntryPointsLabels: false
                    addRoutersLabels: true
                    addServicesLabels: false
                    entryPoint: metrics
                    headerLabels: {useragent: User-Agent, tenant: X-Tenant}
                    prefix: traefik
                """, "t.yaml");
        PrometheusConfig p = config.metrics().prometheus();
        assertTrue(config.metrics().measuresInternals());
        assertArrayEquals(new double[] {0.05, 0.5, 2}, p.bucketArray());
        assertFalse(p.addEntryPointsLabels());
        assertTrue(p.addRoutersLabels());
        assertFalse(p.addServicesLabels());
        assertEquals("metrics", p.entryPoint());
        assertEquals(List.of("useragent", "tenant"), List.copyOf(p.headerLabels().keySet()));
        assertEquals("traefik", p.prefix());
        assertEquals(List.of(), config.warnings());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "buckets = [1.0, 0.5]|metrics.prometheus.buckets[1]: buckets must increase: 0.5 follows 1.0",
        "buckets = []|metrics.prometheus.buckets: at least one bucket, e.g. [0.1, 0.3, 1.2, 5.0]",
        "prefix = \"my-proxy\"|metrics.prometheus.prefix: \"my-proxy\" is not a metric name prefix (letters, digits and _, not starting with a digit)",
        "entryPoint = \"webb\"|metrics.prometheus.entryPoint: unknown entry point \"webb\" (did you mean \"web\"?)",
        "headerLabels = {code = \"X-Code\"}|metrics.prometheus.headerLabels.code: \"code\" is a label of the request metrics already; choose another name",
        "headerLabels = {\"user-agent\" = \"User-Agent\"}|metrics.prometheus.headerLabels.user-agent: \"user-agent\" is not a label name (letters, digits and _, not starting with a digit or __)",
        "headerLabels = {ua = \"User Agent\"}|metrics.prometheus.headerLabels.ua: \"User Agent\" is not a header name",
        "addRoutersLabels = \"yes\"|t.toml: metrics.prometheus.addRoutersLabels: expected true or false, got \"yes\"",
    })
    void badValuesAreErrorsWithTheirKeyPath(String line, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "[entryPoints.web]\naddress = \":80\"\n[metrics.prometheus]\n" + line + "\n", "t.toml"));
        assertEquals(List.of(problem), e.problems());
    }

    @Test
    void aBoundGivenTwiceIsAWarningAndKeptOnce() throws Exception {
        SluiceConfig config = ConfigLoader.parse("[metrics.prometheus]\nbuckets = [0.5, 0.5, 1]\n", "t.toml");
        assertArrayEquals(new double[] {0.5, 1}, config.metrics().prometheus().bucketArray());
        assertEquals(List.of("`metrics.prometheus.buckets`: a bound is given twice, it is kept once"), config.warnings());
    }

    @Test
    void manualRoutingNeedsNoEntryPoint() throws Exception {
        assertTrue(ConfigLoader.parse("[metrics.prometheus]\nentryPoint = \"elsewhere\"\nmanualRouting = true\n", "t.toml")
                .metrics().prometheus().manualRouting());
    }
}
