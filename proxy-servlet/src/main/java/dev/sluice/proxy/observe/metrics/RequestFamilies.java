package dev.sluice.proxy.observe.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * Traefik's four request families of one level (entry point, router or service):
 * {@code requests_total}, {@code request_duration_seconds}, {@code requests_bytes_total} and
 * {@code responses_bytes_total}, labelled {@code code}, {@code method}, {@code protocol}, then the
 * level's own labels ({@code entrypoint}; {@code router} and {@code service}; {@code service}), then
 * the {@code headerLabels} on {@code requests_total}.
 *
 * <p>Recording costs no lookup by label values: each {@link Scope} (one entry point, router or
 * service) keeps the data points it used in arrays indexed by method, protocol and status code, so
 * after the first request of a kind a request is four increments and a map lookup by name. Only
 * header labels, whose values come from the request, are looked up each time.
 */
final class RequestFamilies {
    private static final int SLOTS = RequestLabels.METHODS.length * RequestLabels.PROTOCOLS.length;
    private static final int CODES = 600;

    private final Counter requests;
    private final Histogram duration;
    private final Counter requestBytes;
    private final Counter responseBytes;
    private final Counter tls;
    /** The request headers that give the header labels, in label order; empty without headerLabels. */
    private final String[] headers;
    private final ConcurrentHashMap<String, Scope> scopes = new ConcurrentHashMap<>();

    /**
     * @param level {@code entrypoint}, {@code router} or {@code service}: the names' middle word
     * @param what how help texts name the level ("an entrypoint")
     * @param levelLabels the level's own labels
     */
    RequestFamilies(PrometheusRegistry registry, String prefix, String level, String what, List<String> levelLabels, double[] buckets,
            Map<String, String> headerLabels) {
        List<String> labels = new ArrayList<>(List.of("code", "method", "protocol"));
        labels.addAll(levelLabels);
        String[] names = labels.toArray(String[]::new);
        List<String> withHeaders = new ArrayList<>(labels);
        withHeaders.addAll(headerLabels.keySet());
        this.headers = headerLabels.values().toArray(String[]::new);
        String start = prefix + "_" + level + "_";
        String partitioned = ", partitioned by status code, protocol, and method.";
        this.requests = Counter.builder().name(start + "requests_total")
                .help("How many HTTP requests processed on " + what + partitioned)
                .labelNames(withHeaders.toArray(String[]::new)).withoutExemplars().register(registry);
        this.duration = Histogram.builder().name(start + "request_duration_seconds")
                .help("How long it took to process the request on " + what + partitioned)
                .labelNames(names).classicOnly().classicUpperBounds(buckets).withoutExemplars().register(registry);
        this.requestBytes = Counter.builder().name(start + "requests_bytes_total")
                .help("The total size of requests in bytes handled by " + what + partitioned)
                .labelNames(names).withoutExemplars().register(registry);
        List<String> tlsLabels = new ArrayList<>(List.of("tls_version", "tls_cipher"));
        tlsLabels.addAll(levelLabels);
        this.tls = Counter.builder().name(start + "requests_tls_total")
                .help("How many HTTP requests with TLS processed on " + what + ", partitioned by TLS version and TLS cipher.")
                .labelNames(tlsLabels.toArray(String[]::new)).withoutExemplars().register(registry);
        this.responseBytes = Counter.builder().name(start + "responses_bytes_total")
                .help("The total size of responses in bytes handled by " + what + partitioned)
                .labelNames(names).withoutExemplars().register(registry);
    }

    /** The scope of an entry point or service, made on first use. */
    Scope scope(String name) {
        Scope scope = scopes.get(name);
        if (scope == null) {
            scope = scopes.computeIfAbsent(name, n -> new Scope(new String[] {n}));
        }
        return scope;
    }

    /** The scope of a router and its service, made on first use (and again if a reload gave the router another service). */
    Scope scope(String router, String service) {
        Scope scope = scopes.get(router);
        if (scope == null || !scope.values[1].equals(service)) {
            // The old series go at the next prune.
            scope = new Scope(new String[] {router, service});
            scopes.put(router, scope);
        }
        return scope;
    }

    /** One exchange: its status, method and protocol indexes, duration and body sizes. */
    void record(Scope scope, int code, int method, int protocol, double seconds, long bytesIn, long bytesOut, HttpServletRequest request) {
        Children children = scope.children(this, code, method, protocol);
        if (children.requests != null) {
            children.requests.inc();
        } else {
            requests.labelValues(withHeaders(scope, code, method, protocol, request)).inc();
        }
        children.duration.observe(seconds);
        children.requestBytes.inc(bytesIn);
        children.responseBytes.inc(bytesOut);
        if (request.isSecure()) {
            scope.tls(this, RequestLabels.tlsVersion(request), RequestLabels.tlsCipher(request)).inc();
        }
    }

    private CounterDataPoint tls(Scope scope, String version, String cipher) {
        String[] values = new String[2 + scope.values.length];
        values[0] = version;
        values[1] = cipher;
        System.arraycopy(scope.values, 0, values, 2, scope.values.length);
        return tls.labelValues(values);
    }

    private String[] withHeaders(Scope scope, int code, int method, int protocol, HttpServletRequest request) {
        String[] values = labelValues(scope, code, method, protocol, headers.length);
        int at = values.length - headers.length;
        for (String header : headers) {
            String value = request.getHeader(header);
            values[at++] = value == null ? "" : value;
        }
        return values;
    }

    private static String[] labelValues(Scope scope, int code, int method, int protocol, int extra) {
        String[] values = new String[3 + scope.values.length + extra];
        values[0] = Integer.toString(code);
        values[1] = RequestLabels.METHODS[method];
        values[2] = RequestLabels.PROTOCOLS[protocol];
        System.arraycopy(scope.values, 0, values, 3, scope.values.length);
        return values;
    }

    /**
     * Forgets the scopes, and removes the series, whose name {@code alive} no longer accepts (a
     * router, service or entry point a reload removed), and the series of a router's previous
     * service, as Traefik does after a scrape.
     */
    void prune(Predicate<String> alive) {
        scopes.entrySet().removeIf(e -> !alive.test(e.getKey()));
        requests.removeIf(labels -> stale(labels, 3));
        duration.removeIf(labels -> stale(labels, 3));
        requestBytes.removeIf(labels -> stale(labels, 3));
        responseBytes.removeIf(labels -> stale(labels, 3));
        tls.removeIf(labels -> stale(labels, 2)); // tls_version and tls_cipher come before the level's labels
    }

    /** True unless the level labels, from {@code at}, are those of a live scope. */
    private boolean stale(List<String> labels, int at) {
        Scope current = scopes.get(labels.get(at));
        if (current == null) {
            return true;
        }
        for (int i = 0; i < current.values.length; i++) {
            if (!current.values[i].equals(labels.get(at + i))) {
                return true;
            }
        }
        return false;
    }

    /** The data points of one label set, without header labels (then {@code requests} is null: it depends on the request). */
    private record Children(CounterDataPoint requests, DistributionDataPoint duration, CounterDataPoint requestBytes,
            CounterDataPoint responseBytes) {}

    /** One entry point, router or service: its level label values and the children it has used. */
    static final class Scope {
        private final String[] values;
        /** requests_tls_total's children by TLS version, then cipher (JSSE's names are constants: two lookups, no key built). */
        private final ConcurrentHashMap<String, ConcurrentHashMap<String, CounterDataPoint>> tls = new ConcurrentHashMap<>();
        /** By method and protocol, then by status code; filled on first use. */
        private final AtomicReferenceArray<AtomicReferenceArray<Children>> slots = new AtomicReferenceArray<>(SLOTS);

        private Scope(String[] values) {
            this.values = values;
        }

        private CounterDataPoint tls(RequestFamilies families, String version, String cipher) {
            ConcurrentHashMap<String, CounterDataPoint> byCipher = tls.get(version);
            if (byCipher == null) {
                byCipher = tls.computeIfAbsent(version, v -> new ConcurrentHashMap<>());
            }
            CounterDataPoint point = byCipher.get(cipher);
            if (point == null) {
                point = byCipher.computeIfAbsent(cipher, c -> families.tls(this, version, c));
            }
            return point;
        }

        private Children children(RequestFamilies families, int code, int method, int protocol) {
            if (code < 0 || code >= CODES) {
                return families.children(this, code, method, protocol); // not a status Sluice sends; not kept
            }
            int slot = method * RequestLabels.PROTOCOLS.length + protocol;
            AtomicReferenceArray<Children> byCode = slots.get(slot);
            if (byCode == null) {
                slots.compareAndSet(slot, null, new AtomicReferenceArray<>(CODES));
                byCode = slots.get(slot);
            }
            Children children = byCode.get(code);
            if (children == null) {
                // Two threads may both resolve it: the library gives them the same data points.
                children = families.children(this, code, method, protocol);
                byCode.set(code, children);
            }
            return children;
        }
    }

    private Children children(Scope scope, int code, int method, int protocol) {
        String[] values = labelValues(scope, code, method, protocol, 0);
        return new Children(headers.length == 0 ? requests.labelValues(values) : null, duration.labelValues(values),
                requestBytes.labelValues(values), responseBytes.labelValues(values));
    }
}
