package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.config.ApiConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.runtime.Snapshot;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code api@internal}: Traefik's REST API ({@code pkg/api}), read-only JSON under
 * {@code api.basePath}, of the snapshot serving when the request comes:
 * <ul>
 * <li>{@code /api/rawdata}, {@code /api/overview}, {@code /api/version};</li>
 * <li>{@code /api/entrypoints[/{name}]};</li>
 * <li>{@code /api/{http,tcp}/{routers,services,middlewares}[/{name}]}, {@code /api/udp/{routers,services}[/{name}]}:
 *     lists filtered ({@code search}, {@code status}, {@code serviceName}, {@code middlewareName}),
 *     sorted ({@code sortBy}, {@code direction}) and paged ({@code page}, {@code per_page}, {@code X-Next-Page})
 *     as Traefik's; names qualified ({@code api@file}, {@code api@internal});</li>
 * <li>{@code /api/explain} (Sluice's route explainer, see {@link RouteExplainer});</li>
 * <li>{@code /api/reloads} (Sluice's: configurations applied and rejected, the recent rejections' problems, see {@link Reloads});</li>
 * <li>{@code /debug/vars} with {@code api.debug}: the JVM's memory, threads, GC and uptime.</li>
 * </ul>
 * Only GET and HEAD; anything unknown is 404 with Traefik's {@code {"message": "..."}} body. Secrets
 * (basicAuth hashes, JWT secrets, API keys, inline private keys) are redacted ({@link ConfigJson}).
 */
final class ApiService implements HttpService {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiService.class);
    private static final Instant STARTED = Instant.now();

    private final String name;
    private final SluiceRuntime runtime;
    private final ApiConfig api;

    ApiService(InternalServices.Context context) {
        this.name = context.name();
        this.runtime = context.runtime();
        this.api = context.config().api() == null ? new ApiConfig(null, null, null, null, null, null, null) : context.config().api();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException {
        try {
            answer(request, response);
        } catch (RuntimeException e) {
            LOG.warn("{} {}: {}", request.getMethod(), request.getRequestURI(), e.toString(), e);
            if (!response.isCommitted()) {
                response.reset();
                JsonAnswers.error(request, response, 500, "internal error");
            }
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = AdminPaths.path(request);
        String prefix = api.pathPrefix();
        if (!path.startsWith(prefix + "/")) {
            JsonAnswers.error(request, response, 404, "not found: " + path);
            return;
        }
        path = path.substring(prefix.length());
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            JsonAnswers.error(request, response, 405, "method not allowed: " + request.getMethod());
            return;
        }
        Snapshot snapshot = runtime.current();
        ApiQuery query = new ApiQuery(request.getQueryString());
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length >= 2 && parts[0].equals("debug") && parts[1].equals("vars") && parts.length == 2 && api.debug()) {
            JsonAnswers.write(request, response, 200, DebugVars.of());
            return;
        }
        if (parts.length < 2 || !parts[0].equals("api")) {
            JsonAnswers.error(request, response, 404, "not found: " + path);
            return;
        }
        switch (parts[1]) {
            case "version" -> single(request, response, parts, 2, version());
            case "rawdata" -> single(request, response, parts, 2, rawdata(ApiModel.of(snapshot, runtime::tcpServerStatus)));
            case "overview" -> single(request, response, parts, 2, Overview.of(snapshot.config(), ApiModel.of(snapshot, runtime::tcpServerStatus)));
            case "reloads" -> single(request, response, parts, 2, Reloads.of(runtime.reloads()));
            case "explain" -> explain(request, response, parts, snapshot, query);
            case "entrypoints" -> collection(request, response, parts, 2, entryPoints(snapshot), query, Kind.ENTRY_POINT, "entry point");
            case "http", "tcp", "udp" -> protocol(request, response, parts, ApiModel.of(snapshot, runtime::tcpServerStatus), query);
            default -> JsonAnswers.error(request, response, 404, "not found: " + path);
        }
    }

    private void explain(HttpServletRequest request, HttpServletResponse response, String[] parts, Snapshot snapshot, ApiQuery query)
            throws IOException {
        if (parts.length != 2) {
            JsonAnswers.error(request, response, 404, "not found: /" + String.join("/", parts));
            return;
        }
        try {
            JsonAnswers.write(request, response, 200, RouteExplainer.explain(snapshot, ExplainRequest.fromQuery(query)));
        } catch (IllegalArgumentException e) {
            JsonAnswers.error(request, response, 400, e.getMessage());
        }
    }

    private enum Kind { ENTRY_POINT, ROUTER, SERVICE, MIDDLEWARE }

    private void protocol(HttpServletRequest request, HttpServletResponse response, String[] parts, ApiModel model, ApiQuery query)
            throws IOException {
        String what = parts.length > 2 ? parts[2] : "";
        Map<String, ObjectNode> items;
        Kind kind;
        switch (parts[1] + "/" + what) {
            case "http/routers" -> { items = model.routers; kind = Kind.ROUTER; }
            case "http/services" -> { items = model.services; kind = Kind.SERVICE; }
            case "http/middlewares" -> { items = model.middlewares; kind = Kind.MIDDLEWARE; }
            case "tcp/routers" -> { items = model.tcpRouters; kind = Kind.ROUTER; }
            case "tcp/services" -> { items = model.tcpServices; kind = Kind.SERVICE; }
            case "tcp/middlewares" -> { items = model.tcpMiddlewares; kind = Kind.MIDDLEWARE; }
            case "udp/routers" -> { items = model.udpRouters; kind = Kind.ROUTER; }
            case "udp/services" -> { items = model.udpServices; kind = Kind.SERVICE; }
            default -> {
                JsonAnswers.error(request, response, 404, "not found: /" + String.join("/", parts));
                return;
            }
        }
        List<ObjectNode> represented = new ArrayList<>();
        items.forEach((n, info) -> represented.add(ApiModel.represent(n, info, kind != Kind.ROUTER, kind == Kind.ROUTER && !parts[1].equals("udp"))));
        String singular = switch (kind) {
            case ROUTER -> "router";
            case SERVICE -> "service";
            default -> "middleware";
        };
        collection(request, response, parts, 3, represented, query, kind, singular);
    }

    /** A list (filtered, sorted, paged) at {@code depth} path segments, or one item by name one segment deeper. */
    private static void collection(HttpServletRequest request, HttpServletResponse response, String[] parts, int depth,
            List<ObjectNode> items, ApiQuery query, Kind kind, String singular) throws IOException {
        if (parts.length == depth + 1) {
            String id = URLDecoder.decode(parts[depth], StandardCharsets.UTF_8);
            for (ObjectNode item : items) {
                String itemName = item.path("name").asText();
                if (itemName.equals(id) || (kind != Kind.ENTRY_POINT && itemName.equals(ApiModel.qualified(id)))) {
                    JsonAnswers.write(request, response, 200, item);
                    return;
                }
            }
            JsonAnswers.error(request, response, 404, singular + " not found: " + id);
            return;
        }
        if (parts.length != depth) {
            JsonAnswers.error(request, response, 404, "not found: /" + String.join("/", parts));
            return;
        }
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode item : items) {
            String itemName = item.path("name").asText();
            boolean keep = switch (kind) {
                case ENTRY_POINT -> true;
                case ROUTER -> query.keepRouter(itemName, item);
                default -> query.keepNamed(itemName, item);
            };
            if (keep) {
                kept.add(item);
            }
        }
        if (kind == Kind.ENTRY_POINT) {
            kept.sort(java.util.Comparator.comparing(n -> n.path("name").asText()));
        } else {
            query.sort(kept);
        }
        ApiQuery.Page page = query.page(kept);
        if (page.error() != null) {
            JsonAnswers.error(request, response, 400, page.error());
            return;
        }
        response.setHeader(ApiQuery.NEXT_PAGE, Integer.toString(page.next()));
        ArrayNode array = JSON.createArrayNode();
        page.items().forEach(array::add);
        JsonAnswers.write(request, response, 200, array);
    }

    private static void single(HttpServletRequest request, HttpServletResponse response, String[] parts, int depth, JsonNode body)
            throws IOException {
        if (parts.length != depth) {
            JsonAnswers.error(request, response, 404, "not found: /" + String.join("/", parts));
            return;
        }
        JsonAnswers.write(request, response, 200, body);
    }

    /** Traefik's {@code RunTimeRepresentation}: the maps by qualified name, empty ones left out. */
    static ObjectNode rawdata(ApiModel model) {
        ObjectNode raw = JSON.createObjectNode();
        put(raw, "routers", model.routers);
        put(raw, "middlewares", model.middlewares);
        put(raw, "services", model.services);
        put(raw, "tcpRouters", model.tcpRouters);
        put(raw, "tcpMiddlewares", model.tcpMiddlewares);
        put(raw, "tcpServices", model.tcpServices);
        put(raw, "udpRouters", model.udpRouters);
        put(raw, "udpServices", model.udpServices);
        return raw;
    }

    private static void put(ObjectNode raw, String key, Map<String, ObjectNode> items) {
        if (!items.isEmpty()) {
            ObjectNode map = raw.putObject(key);
            items.forEach(map::set);
        }
    }

    private static List<ObjectNode> entryPoints(Snapshot snapshot) {
        List<ObjectNode> out = new ArrayList<>();
        snapshot.config().entryPoints().forEach((epName, ep) -> {
            ObjectNode node = ConfigJson.of(ep);
            node.put("name", epName);
            out.add(node);
        });
        return out;
    }

    /** Traefik's {@code /api/version}: {@code Version}, {@code Codename}, {@code startDate}. */
    private ObjectNode version() {
        ObjectNode v = JSON.createObjectNode();
        v.put("Version", Versions.SLUICE);
        v.put("Codename", "sluice");
        v.put("startDate", STARTED.toString());
        if (api.disableDashboardAd()) {
            v.put("disableDashboardAd", true);
        }
        if (api.dashboardName() != null && !api.dashboardName().isEmpty()) {
            v.put("dashboardName", api.dashboardName());
        }
        return v;
    }
}
