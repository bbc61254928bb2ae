package dev.sluice.proxy.rule;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** A {@link RuleRequest} for tests, built field by field. Unset fields have harmless defaults. */
final class TestRequest implements RuleRequest {
    private final String host;
    private final String path;
    private final String method;
    private final Map<String, List<String>> headers;
    private final String query;
    private final InetAddress client;

    private TestRequest(Builder b) {
        this.host = b.host;
        this.path = b.path;
        this.method = b.method;
        this.headers = b.headers;
        this.query = b.query;
        this.client = b.client;
    }

    static Builder request() {
        return new Builder();
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public boolean anyHeaderValue(String name, Predicate<String> test) {
        for (String value : headers.getOrDefault(name, List.of())) {
            if (test.test(value)) {
                return true;
            }
        }
        return false;
    }

    /** Parses the raw query like Go's url.ParseQuery: {@code ?a} is key {@code a} with value "". */
    @Override
    public boolean anyQueryValue(String key, Predicate<String> test) {
        if (query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (k.equals(key) && test.test(v)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public InetAddress clientAddress() {
        return client;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(method).append(' ').append(host).append(path);
        if (!query.isEmpty()) {
            b.append('?').append(query);
        }
        if (!headers.isEmpty()) {
            b.append(' ').append(headers);
        }
        if (client != null) {
            b.append(" from ").append(client.getHostAddress());
        }
        return b.toString();
    }

    static final class Builder {
        private String host = "";
        private String path = "/";
        private String method = "GET";
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private String query = "";
        private InetAddress client;

        /** Stored as the routing layer would: lower-case, port stripped. */
        Builder host(String value) {
            String h = value.toLowerCase(Locale.ROOT);
            int colon = h.lastIndexOf(':');
            if (colon > 0 && h.indexOf(':') == colon) {
                h = h.substring(0, colon);
            }
            this.host = h;
            return this;
        }

        /** A raw path; stored as its routing path. */
        Builder path(String raw) {
            this.path = RoutingPath.of(raw);
            return this;
        }

        Builder method(String value) {
            this.method = value;
            return this;
        }

        /** Adds one field line; call again for repeated headers. */
        Builder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** The raw query string without {@code ?}. */
        Builder query(String raw) {
            this.query = raw;
            return this;
        }

        /** An IP literal. */
        Builder client(String ip) {
            try {
                this.client = InetAddress.getByName(ip);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(ip, e);
            }
            return this;
        }

        Builder client(InetAddress address) {
            this.client = address;
            return this;
        }

        TestRequest build() {
            return new TestRequest(this);
        }
    }
}
