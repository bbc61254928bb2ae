package dev.sluice.proxy.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the service tree: references between services, cycles, health-check requirements of
 * parents ({@code healthCheck {}} needs every child to report health), and the options of
 * health checks and sticky cookies. (The strategy and hash key are typed values, checked when bound.)
 */
final class ServiceTreeValidator {
    private static final Set<String> SAME_SITE = Set.of("none", "lax", "strict");

    private final Map<String, ServiceConfig> services;
    private final Problems problems;

    ServiceTreeValidator(Map<String, ServiceConfig> services, Problems problems) {
        this.services = services;
        this.problems = problems;
    }

    void validate(String name, ServiceConfig service) {
        String path = "http.services." + name;
        if (service.loadBalancer() != null) {
            loadBalancerOptions(path + ".loadBalancer", service.loadBalancer());
        }
        if (service.weighted() != null) {
            children(path + ".weighted", service.weighted().services(), service.weighted().healthCheck() != null);
            sticky(path + ".weighted.sticky", service.weighted().sticky());
        }
        if (service.highestRandomWeight() != null) {
            children(path + ".highestRandomWeight", service.highestRandomWeight().services(),
                    service.highestRandomWeight().healthCheck() != null);
        }
        if (service.failover() != null) {
            FailoverConfig f = service.failover();
            boolean follows = f.healthCheck() != null;
            child(path + ".failover.service", f.service(), follows, true);
            child(path + ".failover.fallback", f.fallback(), follows, true);
            if (f.errors() != null) {
                for (int i = 0; i < f.errors().status().size(); i++) {
                    if (!isStatusRange(f.errors().status().get(i))) {
                        problems.add(path + ".failover.errors.status[" + i + "]", "expected a status or a range like \"500-504\", got \"" + f.errors().status().get(i) + "\"");
                    }
                }
            }
        }
        if (service.mirroring() != null) {
            MirroringConfig m = service.mirroring();
            boolean follows = m.healthCheck() != null;
            child(path + ".mirroring.service", m.service(), follows, true);
            for (int i = 0; i < m.mirrors().size(); i++) {
                MirroringConfig.Mirror mirror = m.mirrors().get(i);
                child(path + ".mirroring.mirrors[" + i + "].name", mirror.name(), false, true);
                if (mirror.percent() < 0 || mirror.percent() > 100) {
                    problems.add(path + ".mirroring.mirrors[" + i + "].percent", "must be between 0 and 100, got " + mirror.percent());
                }
            }
        }
        List<String> cycle = cycleFrom(name, new ArrayList<>(), new HashSet<>());
        if (cycle != null && cycle.get(0).equals(name)) {
            problems.add(path, "services form a cycle: " + String.join(" -> ", cycle));
        }
    }

    private void loadBalancerOptions(String path, LoadBalancerConfig lb) {
        sticky(path + ".sticky", lb.sticky());
        HealthCheckConfig check = lb.healthCheck();
        if (check != null) {
            if (check.path() == null || check.path().isBlank()) {
                problems.add(path + ".healthCheck.path", "missing path, e.g. \"/health\"");
            } else if (check.path().contains("://")) {
                problems.add(path + ".healthCheck.path", "must be a path, not a URL: \"" + check.path() + "\"");
            }
            if (!check.mode().equals("http") && !check.mode().equals("grpc")) {
                problems.add(path + ".healthCheck.mode", "must be http or grpc, got \"" + check.mode() + "\"");
            }
            if (check.scheme() != null && !Set.of("http", "https", "h2c").contains(check.scheme())) {
                problems.add(path + ".healthCheck.scheme", "must be http, https or h2c, got \"" + check.scheme() + "\"");
            }
            if (check.port() != null && (check.port() < 1 || check.port() > 65535)) {
                problems.add(path + ".healthCheck.port", "must be between 1 and 65535, got " + check.port());
            }
            if (check.status() != null && (check.status() < 100 || check.status() > 599)) {
                problems.add(path + ".healthCheck.status", "must be an HTTP status, got " + check.status());
            }
        }
        if (lb.passiveHealthCheck() != null && lb.passiveHealthCheck().maxFailedAttempts() < 1) {
            problems.add(path + ".passiveHealthCheck.maxFailedAttempts", "must be 1 or more, got " + lb.passiveHealthCheck().maxFailedAttempts());
        }
    }

    private void sticky(String path, StickyConfig sticky) {
        if (sticky != null && sticky.cookie() != null && sticky.cookie().sameSite() != null
                && !sticky.cookie().sameSite().isEmpty() && !SAME_SITE.contains(sticky.cookie().sameSite().toLowerCase(Locale.ROOT))) {
            problems.add(path + ".cookie.sameSite", "must be none, lax or strict, got \"" + sticky.cookie().sameSite() + "\"");
        }
    }

    private void children(String path, List<ChildService> children, boolean followsHealth) {
        if (children.isEmpty()) {
            problems.add(path + ".services", "at least one service required");
        }
        for (int i = 0; i < children.size(); i++) {
            child(path + ".services[" + i + "].name", children.get(i).name(), followsHealth, true);
            if (children.get(i).weight() < 0) {
                problems.add(path + ".services[" + i + "].weight", "must be 0 or more, got " + children.get(i).weight());
            }
        }
    }

    /** A reference to another service; with {@code followsHealth} that service must report health. */
    private void child(String path, String name, boolean followsHealth, boolean required) {
        if (name == null || name.isBlank()) {
            if (required) {
                problems.add(path, "missing service name");
            }
            return;
        }
        ServiceConfig child = services.get(name);
        if (child == null) {
            problems.add(path, "unknown service \"" + name + "\"" + Suggestions.didYouMean(name, services.keySet()));
        } else if (followsHealth && !reportsHealth(child)) {
            problems.add(path, "service \"" + name + "\" has no health check, so healthCheck {} here cannot follow it;"
                    + " add a healthCheck to it (a loadBalancer's healthCheck, or healthCheck {} on a service of services)");
        }
    }

    private static boolean reportsHealth(ServiceConfig service) {
        if (service.loadBalancer() != null) {
            return service.loadBalancer().healthCheck() != null;
        }
        if (service.weighted() != null) {
            return service.weighted().healthCheck() != null;
        }
        if (service.highestRandomWeight() != null) {
            return service.highestRandomWeight().healthCheck() != null;
        }
        if (service.failover() != null) {
            return service.failover().healthCheck() != null;
        }
        return service.mirroring() != null && service.mirroring().healthCheck() != null;
    }

    /** The path of a cycle through {@code name}, or null. */
    private List<String> cycleFrom(String name, List<String> path, Set<String> done) {
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            cycle.add(name);
            return cycle;
        }
        if (!done.add(name)) {
            return null;
        }
        ServiceConfig service = services.get(name);
        if (service == null) {
            return null;
        }
        path.add(name);
        for (String child : childNames(service)) {
            List<String> cycle = cycleFrom(child, path, done);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    private static List<String> childNames(ServiceConfig s) {
        List<String> names = new ArrayList<>();
        if (s.weighted() != null) {
            s.weighted().services().forEach(c -> names.add(c.name()));
        }
        if (s.highestRandomWeight() != null) {
            s.highestRandomWeight().services().forEach(c -> names.add(c.name()));
        }
        if (s.failover() != null) {
            names.add(s.failover().service());
            names.add(s.failover().fallback());
        }
        if (s.mirroring() != null) {
            names.add(s.mirroring().service());
            s.mirroring().mirrors().forEach(m -> names.add(m.name()));
        }
        names.removeIf(n -> n == null);
        return names;
    }

    static boolean isStatusRange(String s) {
        return s.matches("\\d{3}(-\\d{3})?");
    }
}
