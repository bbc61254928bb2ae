package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** The route explainer's answer ({@link RouteExplainer#explain}) as text for a terminal: {@code sluice explain}. */
public final class ExplainText {
    private ExplainText() {}

    public static String render(JsonNode explained) {
        StringBuilder b = new StringBuilder();
        JsonNode req = explained.path("request");
        b.append(req.path("method").asText()).append(' ').append(req.path("url").asText())
                .append(req.path("tls").asBoolean() ? " (TLS" : " (plain HTTP").append(", client ").append(req.path("clientIp").asText()).append(")\n");
        for (JsonNode h : req.path("headers")) {
            b.append("  ").append(h.asText()).append('\n');
        }
        for (JsonNode ep : explained.path("entryPoints")) {
            b.append('\n').append(ep.path("entryPoint").isNull() ? "every router (no entry points: a WAR)" : "entry point " + ep.path("entryPoint").asText())
                    .append('\n');
            int width = 0;
            for (JsonNode c : ep.path("candidates")) {
                width = Math.max(width, c.path("router").asText().length());
            }
            int i = 1;
            for (JsonNode c : ep.path("candidates")) {
                boolean wins = c.path("router").asText().equals(ep.path("router").asText());
                b.append(String.format("  %2d. %-" + width + "s  priority %-10d %s%n", i++, c.path("router").asText(), c.path("priority").asLong(),
                        c.path("rule").asText()));
                b.append("      ").append(wins ? "WINS" : "lost").append(": ").append(c.path("reason").asText()).append('\n');
            }
            if (ep.path("router").isNull()) {
                b.append("  => ").append(ep.path("answer").asText()).append('\n');
                continue;
            }
            b.append("  => router ").append(ep.path("router").asText()).append(", service ").append(ep.path("service").asText()).append('\n');
            StringBuilder chain = new StringBuilder();
            for (JsonNode m : ep.path("middlewares")) {
                chain.append(chain.length() == 0 ? "" : ", ").append(m.asText());
            }
            b.append("     middlewares: ").append(chain.length() == 0 ? "none" : chain).append('\n');
            b.append("     upstream path: ").append(ep.path("path").asText()).append('\n');
            JsonNode up = ep.path("upstream");
            if (up.has("answeredBySluice")) {
                b.append("     answered by Sluice: ").append(up.path("answeredBySluice").asText()).append('\n');
            } else if (up.path("server").isNull()) {
                b.append("     ").append(up.path("answer").asText()).append('\n');
            } else {
                b.append("     server: ").append(up.path("server").asText()).append(" (").append(up.path("serverStatus").asText()).append(") of ")
                        .append(up.path("loadBalancer").asText()).append(", request to ").append(up.path("url").asText()).append('\n');
            }
        }
        return b.toString();
    }
}
