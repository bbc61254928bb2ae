package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.config.SluiceConfig;
import java.util.Map;

/**
 * Traefik's {@code /api/overview}: per protocol the number of routers, services and middlewares with
 * their warnings and errors (always 0: Sluice serves a configuration only when all of it is valid),
 * the features on, and the providers ({@code File} when {@code providers.file} is set).
 */
final class Overview {
    private Overview() {}

    static ObjectNode of(SluiceConfig config, ApiModel model) {
        ObjectNode o = ApiService.JSON.createObjectNode();
        ObjectNode http = o.putObject("http");
        section(http, "routers", model.routers);
        section(http, "services", model.services);
        section(http, "middlewares", model.middlewares);
        ObjectNode tcp = o.putObject("tcp");
        section(tcp, "routers", model.tcpRouters);
        section(tcp, "services", model.tcpServices);
        section(tcp, "middlewares", model.tcpMiddlewares);
        ObjectNode udp = o.putObject("udp");
        section(udp, "routers", model.udpRouters);
        section(udp, "services", model.udpServices);
        features(o.putObject("features"), config);
        if (config.providers().file() != null) {
            o.putArray("providers").add("File");
        }
        return o;
    }

    /**
     * Traefik names the metrics exporter configured ({@code Prometheus}, the field's name) and the
     * tracing backend ({@code OpenTelemetry}, the only one of Traefik v3), and says whether the access log is on.
     */
    private static void features(ObjectNode features, SluiceConfig config) {
        features.put("tracing", config.tracing() != null ? "OpenTelemetry" : "");
        features.put("metrics", config.metrics().prometheus() != null ? "Prometheus" : config.metrics().otlp() != null ? "OpenTelemetry" : "");
        features.put("accessLog", config.accessLog() != null);
    }

    private static void section(ObjectNode parent, String key, Map<String, ObjectNode> items) {
        ObjectNode s = parent.putObject(key);
        s.put("total", items.size());
        s.put("warnings", 0);
        s.put("errors", 0);
    }
}
