package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.rule.QueryString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query parameters of Traefik's list endpoints ({@code pkg/api/criterion.go}, {@code sort.go}):
 * {@code search}, {@code status}, {@code serviceName}, {@code middlewareName} filters, {@code sortBy}
 * and {@code direction}, and the pages ({@code page}, {@code per_page}, 100 by default; the next
 * page's number in {@code X-Next-Page}, 1 on the last).
 */
final class ApiQuery {
    static final String NEXT_PAGE = "X-Next-Page";
    private static final int DEFAULT_PER_PAGE = 100;

    private final Map<String, List<String>> params;

    ApiQuery(String rawQuery) {
        this.params = QueryString.parse(rawQuery);
    }

    String get(String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? "" : values.get(0);
    }

    List<String> all(String key) {
        return params.getOrDefault(key, List.of());
    }

    /** Traefik's {@code keepRouter}: status, search in the rule and the name, service and middleware names. */
    boolean keepRouter(String name, JsonNode router) {
        return withStatus(router) && searchIn(router.path("rule").asText(""), name) && service(router.path("service").asText(""))
                && middleware(router.path("middlewares"));
    }

    /** Traefik's {@code keepService} and {@code keepMiddleware}: status and search in the name. */
    boolean keepNamed(String name, JsonNode item) {
        return withStatus(item) && searchIn(name);
    }

    private boolean withStatus(JsonNode item) {
        String status = get("status");
        return status.isEmpty() || status.equalsIgnoreCase(item.path("status").asText(""));
    }

    private boolean searchIn(String... values) {
        String search = get("search").toLowerCase(Locale.ROOT);
        if (search.isEmpty()) {
            return true;
        }
        for (String v : values) {
            if (v.toLowerCase(Locale.ROOT).contains(search)) {
                return true;
            }
        }
        return false;
    }

    /** A router's service as written: qualified names compare whole, plain ones with the criterion's name before its {@code @}. */
    private boolean service(String service) {
        String wanted = get("serviceName");
        if (wanted.isEmpty()) {
            return true;
        }
        if (service.contains("@")) {
            return wanted.equals(service);
        }
        int at = wanted.indexOf('@');
        return (at < 0 ? wanted : wanted.substring(0, at)).equals(service);
    }

    private boolean middleware(JsonNode middlewares) {
        String wanted = get("middlewareName");
        if (wanted.isEmpty()) {
            return true;
        }
        for (JsonNode m : middlewares) {
            if (m.asText().equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Sorts {@code items} by {@code sortBy} (a field of the representation; {@code name} by default), ties by name. */
    void sort(List<ObjectNode> items) {
        String by = get("sortBy").isEmpty() ? "name" : get("sortBy");
        Comparator<ObjectNode> byName = Comparator.comparing(n -> n.path("name").asText(""));
        Comparator<ObjectNode> order = by.equals("name") ? byName : Comparator.<ObjectNode, Comparable<Object>>comparing(n -> key(n, by))
                .thenComparing(byName);
        items.sort("desc".equals(get("direction")) ? order.reversed() : order);
    }

    @SuppressWarnings("unchecked")
    private static Comparable<Object> key(ObjectNode node, String by) {
        Object key = switch (by) {
            case "entryPoints" -> (double) node.path("entryPoints").size();
            case "servers" -> (double) node.path("loadBalancer").path("servers").size();
            case "priority" -> node.path("priority").asDouble(0);
            default -> node.path(by).asText("");
        };
        return (Comparable<Object>) key;
    }

    /** One page of {@code items}, or an error message ({@code invalid request: page: 3, per_page: 100}). */
    record Page(List<ObjectNode> items, int next, String error) {}

    Page page(List<ObjectNode> items) {
        int perPage;
        int page;
        try {
            perPage = positive("per_page", DEFAULT_PER_PAGE);
            page = positive("page", 1);
        } catch (IllegalArgumentException e) {
            return new Page(List.of(), 0, e.getMessage());
        }
        long start = (long) (page - 1) * perPage;
        if (start != 0 && start >= items.size()) {
            return new Page(List.of(), 0, "invalid request: page: " + page + ", per_page: " + perPage);
        }
        int end = (int) Math.min(start + perPage, items.size());
        int next = (long) page * perPage < items.size() ? page + 1 : 1;
        return new Page(new ArrayList<>(items.subList((int) start, end)), next, null);
    }

    private int positive(String key, int fallback) {
        String raw = get(key);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            // Go's strconv.Atoi yields 0 with its error, which Traefik prints.
            throw new IllegalArgumentException("invalid request: " + key + ": 0");
        }
        if (value <= 0) {
            throw new IllegalArgumentException("invalid request: " + key + ": " + value);
        }
        return value;
    }
}
