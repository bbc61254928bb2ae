package dev.sluice.proxy.observe.metrics;

import dev.sluice.proxy.runtime.ReloadHistory;
import dev.sluice.proxy.runtime.Snapshot;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.LoadBalancer;
import dev.sluice.proxy.service.Server;
import dev.sluice.proxy.tls.CertificateStore;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The families read from Sluice's state when they are scraped, never touched by a request: reloads,
 * open connections, each load-balanced server's health ({@code service_server_up}) and the checks
 * and ejections behind it, and the expiry of the configured certificates. Being read from the
 * snapshot that serves, a server or certificate a reload removed is gone from the next scrape.
 */
final class StateMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(StateMetrics.class);

    private final Supplier<Snapshot> current;
    private final List<OpenConnections> connections = new CopyOnWriteArrayList<>();
    /** The certificates of the configuration they were read for (read again once per configuration). */
    private volatile Certificates certificates = new Certificates(null, List.of());

    private record Certificates(Object config, List<X509Certificate> leaves) {}

    StateMetrics(PrometheusRegistry registry, String prefix, ReloadHistory reloads, Supplier<Snapshot> current) {
        this.current = current;
        CounterWithCallback.builder().name(prefix + "_config_reloads_total").help("Config reloads")
                .callback(cb -> cb.call(reloads.appliedCount())).register(registry);
        GaugeWithCallback.builder().name(prefix + "_config_last_reload_success").help("Last config reload success")
                .callback(cb -> cb.call(reloads.lastAppliedMillis() / 1000.0)).register(registry);
        // Traefik v2's failure pair, which v3 dropped: a rejected reload is what an operator must be woken for.
        CounterWithCallback.builder().name(prefix + "_config_reloads_failure_total").help("Config failure reloads")
                .callback(cb -> cb.call(reloads.rejectedCount())).register(registry);
        GaugeWithCallback.builder().name(prefix + "_config_last_reload_failure").help("Last config reload failure")
                .callback(cb -> cb.call(reloads.lastRejectedMillis() / 1000.0)).register(registry);
        GaugeWithCallback.builder().name(prefix + "_open_connections").help("How many open connections exist, by entryPoint and protocol")
                .labelNames("entrypoint", "protocol")
                .callback(cb -> openConnections().forEach((key, n) -> cb.call(n, key.get(0), key.get(1))))
                .register(registry);
        GaugeWithCallback.builder().name(prefix + "_service_server_up").help("service server is up, described by gauge value of 0 or 1.")
                .labelNames("service", "url")
                .callback(cb -> servers((service, server) -> cb.call(server.isUp() ? 1 : 0, service, server.url()))).register(registry);
        CounterWithCallback.builder().name(prefix + "_service_server_checks_total")
                .help("Active health checks of a service's server, by result (up or down).").labelNames("service", "url", "result")
                .callback(cb -> servers((service, server) -> {
                    cb.call(server.health().checksPassed(), service, server.url(), "up");
                    cb.call(server.health().checksFailed(), service, server.url(), "down");
                })).register(registry);
        CounterWithCallback.builder().name(prefix + "_service_server_ejections_total")
                .help("Times passive health checks took a service's server out of rotation.").labelNames("service", "url")
                .callback(cb -> servers((service, server) -> cb.call(server.health().ejections(), service, server.url())))
                .register(registry);
        GaugeWithCallback.builder().name(prefix + "_tls_certs_not_after").help("Certificate expiration timestamp")
                .labelNames("cn", "serial", "sans")
                .callback(cb -> certificates().forEach(cert -> cb.call(cert.getNotAfter().getTime() / 1000.0, commonName(cert),
                        cert.getSerialNumber().toString(), sans(cert))))
                .register(registry);
    }

    /** Adds a source of open connection counts; closing the handle removes it. */
    AutoCloseable add(OpenConnections source) {
        connections.add(source);
        return () -> connections.remove(source);
    }

    /** The counts of every source, added up by entry point and protocol (a shared entry point has two: HTTP's and the relay's). */
    private Map<List<String>, Long> openConnections() {
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        connections.forEach(source -> source.report((ep, protocol, n) -> counts.merge(List.of(ep, protocol), n, Long::sum)));
        return counts;
    }

    /** Every server of every load balancer of the serving snapshot, with its service's name. */
    private void servers(BiConsumer<String, Server> each) {
        Snapshot snapshot = current.get();
        if (snapshot == null) {
            return;
        }
        for (String name : snapshot.config().http().services().keySet()) {
            HttpService service = snapshot.service(name);
            if (service instanceof LoadBalancer balancer) {
                for (Server server : balancer.servers()) {
                    each.accept(name, server);
                }
            }
        }
    }

    private List<X509Certificate> certificates() {
        Snapshot snapshot = current.get();
        if (snapshot == null) {
            return List.of();
        }
        Certificates known = certificates;
        if (known.config() != snapshot.config()) {
            List<X509Certificate> leaves;
            try {
                leaves = snapshot.config().tls().certificates().isEmpty() && snapshot.config().tls().defaultCertificate() == null
                        ? List.of() : CertificateStore.load(snapshot.config().tls()).configuredLeaves();
            } catch (Exception e) {
                LOG.warn("tls_certs_not_after: the certificates could not be read: {}", e.toString());
                leaves = List.of();
            }
            known = new Certificates(snapshot.config(), leaves);
            certificates = known;
        }
        return known.leaves();
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (javax.naming.InvalidNameException e) {
            return "";
        }
        return "";
    }

    /** The DNS names, sorted and joined by commas, as Traefik labels them. */
    private static String sans(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                cert.getSubjectAlternativeNames().stream().filter(san -> (Integer) san.get(0) == 2).forEach(san -> names.add((String) san.get(1)));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return "";
        }
        names.sort(null);
        return String.join(",", names);
    }
}
