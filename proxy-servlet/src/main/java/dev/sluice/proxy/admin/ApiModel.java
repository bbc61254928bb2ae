package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.InternalServiceNames;
import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.route.Router;
import dev.sluice.proxy.runtime.Snapshot;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.LoadBalancer;
import dev.sluice.proxy.service.Server;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One snapshot as Traefik's runtime configuration ({@code pkg/config/runtime}): routers, services
 * and middlewares by qualified name ({@code api@file}: everything Sluice loads comes from files; its
 * own are {@code @internal}), each the configuration as JSON plus {@code status}, {@code using} or
 * {@code usedBy}, and for services {@code serverStatus}. A configuration Sluice serves was accepted
 * whole, so every status is {@code enabled}.
 */
final class ApiModel {
    static final String FILE = "@file";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final Map<String, ObjectNode> routers = new TreeMap<>();
    final Map<String, ObjectNode> services = new TreeMap<>();
    final Map<String, ObjectNode> middlewares = new TreeMap<>();
    final Map<String, ObjectNode> tcpRouters = new TreeMap<>();
    final Map<String, ObjectNode> tcpServices = new TreeMap<>();
    final Map<String, ObjectNode> tcpMiddlewares = new TreeMap<>();
    final Map<String, ObjectNode> udpRouters = new TreeMap<>();
    final Map<String, ObjectNode> udpServices = new TreeMap<>();

    private ApiModel() {}

    /** {@code name} as Traefik names it: {@code name@file}, or as it is when it names its provider. */
    static String qualified(String name) {
        return name.contains("@") ? name : name + FILE;
    }

    static String provider(String qualified) {
        return qualified.substring(qualified.indexOf('@') + 1);
    }

    /** @param tcpStatus the health of a TCP load balancer's servers, by service name (the relay's) */
    static ApiModel of(Snapshot snapshot, java.util.function.Function<String, Map<String, String>> tcpStatus) {
        ApiModel model = new ApiModel();
        SluiceConfig config = snapshot.config();
        EntryPointRoles roles = EntryPointRoles.of(config);
        model.http(snapshot, config, roles);
        model.tcp(config, roles, tcpStatus);
        model.udp(config);
        return model;
    }

    private void http(Snapshot snapshot, SluiceConfig config, EntryPointRoles roles) {
        Map<String, Set<String>> serviceUsers = new LinkedHashMap<>();
        Map<String, Set<String>> middlewareUsers = new LinkedHashMap<>();
        config.http().routers().forEach((name, router) -> {
            ObjectNode info = ConfigJson.of(router);
            List<String> entryPoints = roles.attach(EntryPointRoles.Role.HTTP, router.entryPoints());
            info.set("entryPoints", strings(entryPoints));
            if (router.tls() != null && !info.path("tls").has("options")) {
                info.with("tls").put("options", "default");
            }
            info.put("status", "enabled");
            info.set("using", strings(entryPoints.stream().filter(config.entryPoints()::containsKey).toList()));
            String qualified = qualified(name);
            routers.put(qualified, info);
            serviceUsers.computeIfAbsent(router.service(), k -> new TreeSet<>()).add(qualified);
            List<String> all = new ArrayList<>(router.middlewares());
            entryPoints.stream().map(config.entryPoints()::get).filter(java.util.Objects::nonNull)
                    .forEach(ep -> all.addAll(0, ep.http().middlewares()));
            all.forEach(m -> middlewareUsers.computeIfAbsent(m, k -> new TreeSet<>()).add(qualified));
        });
        // Routers Sluice made from entry points (redirections), present in the tables only.
        config.entryPoints().keySet().forEach(ep -> snapshot.routes(ep).routers().stream()
                .filter(r -> !config.http().routers().containsKey(r.name())).forEach(r -> {
                    ObjectNode info = routers.computeIfAbsent(r.name(), k -> generated(r));
                    ((ArrayNode) info.get("entryPoints")).add(ep);
                    ((ArrayNode) info.get("using")).add(ep);
                    serviceUsers.computeIfAbsent(r.service(), k -> new TreeSet<>()).add(r.name());
                }));
        config.http().services().forEach((name, service) -> {
            ObjectNode info = ConfigJson.of(service);
            info.put("status", "enabled");
            Set<String> users = serviceUsers.get(name);
            if (users != null) {
                info.set("usedBy", strings(List.copyOf(users)));
            }
            ObjectNode status = serverStatus(snapshot.service(name));
            if (status != null) {
                info.set("serverStatus", status);
            }
            services.put(qualified(name), info);
        });
        serviceUsers.forEach((name, users) -> {
            if (InternalServiceNames.isInternal(name)) {
                ObjectNode info = NODES.objectNode();
                info.put("status", "enabled");
                info.set("usedBy", strings(List.copyOf(users)));
                services.put(name, info);
            }
        });
        config.http().middlewares().forEach((name, middleware) -> {
            ObjectNode info = middleware(middleware);
            info.put("status", "enabled");
            Set<String> users = middlewareUsers.get(name);
            if (users != null) {
                info.set("usedBy", strings(List.copyOf(users)));
            }
            middlewares.put(qualified(name), info);
        });
    }

    private static ObjectNode generated(Router r) {
        ObjectNode info = NODES.objectNode();
        info.set("entryPoints", NODES.arrayNode());
        if (!r.middlewares().isEmpty()) {
            info.set("middlewares", strings(r.middlewares()));
        }
        info.put("service", r.service());
        info.put("rule", r.rule().toString());
        info.put("priority", r.priority());
        info.put("status", "enabled");
        info.set("using", NODES.arrayNode());
        return info;
    }

    /** Traefik's shape: {@code {"stripPrefix": {...}}}, the type's options under its name. */
    private static ObjectNode middleware(MiddlewareConfig middleware) {
        ObjectNode info = NODES.objectNode();
        ObjectNode options = ConfigJson.of(middleware.options());
        info.set(middleware.type(), options);
        return info;
    }

    /** Each server's URL and {@code UP} or {@code DOWN}, for a load balancer; null for the other kinds. */
    static ObjectNode serverStatus(HttpService service) {
        if (!(service instanceof LoadBalancer balancer)) {
            return null;
        }
        ObjectNode status = NODES.objectNode();
        for (Server server : balancer.servers()) {
            status.put(server.url(), server.isUp() ? "UP" : "DOWN");
        }
        return status;
    }

    private void tcp(SluiceConfig config, EntryPointRoles roles, java.util.function.Function<String, Map<String, String>> tcpStatus) {
        Map<String, Set<String>> serviceUsers = new LinkedHashMap<>();
        Map<String, Set<String>> middlewareUsers = new LinkedHashMap<>();
        config.tcp().routers().forEach((name, router) -> {
            ObjectNode info = ConfigJson.of(router);
            List<String> entryPoints = roles.attach(EntryPointRoles.Role.TCP, router.entryPoints());
            info.set("entryPoints", strings(entryPoints));
            info.put("status", "enabled");
            info.set("using", strings(entryPoints.stream().filter(config.entryPoints()::containsKey).toList()));
            String qualified = qualified(name);
            tcpRouters.put(qualified, info);
            serviceUsers.computeIfAbsent(router.service(), k -> new TreeSet<>()).add(qualified);
            router.middlewares().forEach(m -> middlewareUsers.computeIfAbsent(m, k -> new TreeSet<>()).add(qualified));
        });
        config.tcp().services().forEach((name, service) -> {
            ObjectNode info = used(ConfigJson.of(service), serviceUsers.get(name));
            Map<String, String> status = tcpStatus.apply(name);
            if (!status.isEmpty()) {
                ObjectNode servers = info.putObject("serverStatus");
                status.forEach(servers::put);
            }
            tcpServices.put(qualified(name), info);
        });
        config.tcp().middlewares().forEach((name, middleware) ->
                tcpMiddlewares.put(qualified(name), used(ConfigJson.of(middleware), middlewareUsers.get(name))));
    }

    private void udp(SluiceConfig config) {
        Map<String, Set<String>> serviceUsers = new LinkedHashMap<>();
        EntryPointRoles roles = EntryPointRoles.of(config);
        config.udp().routers().forEach((name, router) -> {
            ObjectNode info = ConfigJson.of(router);
            List<String> entryPoints = router.entryPoints().isEmpty() ? roles.all(EntryPointRoles.Role.UDP) : router.entryPoints();
            info.set("entryPoints", strings(entryPoints));
            info.put("status", "enabled");
            info.set("using", strings(entryPoints.stream().filter(config.entryPoints()::containsKey).toList()));
            udpRouters.put(qualified(name), info);
            serviceUsers.computeIfAbsent(router.service(), k -> new TreeSet<>()).add(qualified(name));
        });
        config.udp().services().forEach((name, service) -> udpServices.put(qualified(name), used(ConfigJson.of(service), serviceUsers.get(name))));
    }

    private static ObjectNode used(ObjectNode info, Set<String> users) {
        info.put("status", "enabled");
        if (users != null) {
            info.set("usedBy", strings(List.copyOf(users)));
        }
        return info;
    }

    static ArrayNode strings(List<String> values) {
        ArrayNode array = NODES.arrayNode();
        values.forEach(array::add);
        return array;
    }

    /** The kind of a service or middleware as Traefik's {@code type}: the key of its one table, lower-cased. */
    static String type(JsonNode info) {
        for (var names = info.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (info.get(key).isObject() && !key.equals("serverStatus")) {
                return key.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** {@code info} with Traefik's {@code name}, {@code provider} (and {@code type}, {@code priorityStr} where it has them). */
    static ObjectNode represent(String name, ObjectNode info, boolean typed, boolean router) {
        ObjectNode out = info.deepCopy();
        out.put("name", name);
        out.put("provider", provider(name));
        if (router && !out.has("priorityStr")) {
            out.put("priorityStr", Long.toString(out.path("priority").asLong(0)));
        }
        if (typed) {
            String type = type(info);
            if (type != null) {
                out.put("type", type);
            }
        }
        return out;
    }
}
