package dev.sluice.proxy.rule;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Knows the matcher names, how many values each takes, and how to validate and compile those
 * values. All errors carry the column of the offending token.
 */
final class MatcherFactory {
    /** A matcher value as written, with the column of its opening quote. */
    record Arg(String value, int column) {
    }

    /** The v3 matchers with their accepted value counts, and whether HTTP and/or TCP routers know them. */
    enum Kind {
        HOST("Host", 1, 1, true, false),
        HOST_REGEXP("HostRegexp", 1, 1, true, false),
        PATH("Path", 1, 1, true, false),
        PATH_PREFIX("PathPrefix", 1, 1, true, false),
        PATH_REGEXP("PathRegexp", 1, 1, true, false),
        METHOD("Method", 1, 1, true, false),
        HEADER("Header", 2, 2, true, false),
        HEADER_REGEXP("HeaderRegexp", 2, 2, true, false),
        QUERY("Query", 1, 2, true, false),
        QUERY_REGEXP("QueryRegexp", 1, 2, true, false),
        CLIENT_IP("ClientIP", 1, 1, true, true),
        HOST_SNI("HostSNI", 1, 1, false, true),
        HOST_SNI_REGEXP("HostSNIRegexp", 1, 1, false, true),
        ALPN("ALPN", 1, 1, false, true);

        final String canonical;
        final int minArgs;
        final int maxArgs;
        final boolean http;
        final boolean tcp;

        Kind(String canonical, int minArgs, int maxArgs, boolean http, boolean tcp) {
            this.canonical = canonical;
            this.minArgs = minArgs;
            this.maxArgs = maxArgs;
            this.http = http;
            this.tcp = tcp;
        }

        boolean in(boolean tcpDialect) {
            return tcpDialect ? tcp : http;
        }
    }

    private static final Map<String, Kind> BY_NAME = new HashMap<>();

    /** Names that existed in v2 or belong to TCP routers, with what to use instead. */
    private static final Map<String, String> RENAMED = Map.of(
            "Headers", "Header|it was renamed in Traefik v3",
            "HeadersRegexp", "HeaderRegexp|it was renamed in Traefik v3",
            "HostHeader", "Host|HostHeader was removed in Traefik v3",
            "HostSNI", "Host|HostSNI is a TCP matcher",
            "HostSNIRegexp", "HostRegexp|HostSNIRegexp is a TCP matcher",
            "ALPN", "Header|ALPN is a TCP matcher");

    /** HTTP names in TCP rules, with what to use instead. */
    private static final Map<String, String> HTTP_ONLY = Map.of(
            "Host", "HostSNI|Host is an HTTP matcher",
            "HostRegexp", "HostSNIRegexp|HostRegexp is an HTTP matcher");

    static {
        // Traefik registers each name in four spellings (as declared, lower, upper, Title);
        // accept the same set so that configs that work there work here.
        for (Kind kind : Kind.values()) {
            String name = kind.canonical;
            String lower = name.toLowerCase(Locale.ROOT);
            BY_NAME.put(name, kind);
            BY_NAME.put(lower, kind);
            BY_NAME.put(name.toUpperCase(Locale.ROOT), kind);
            BY_NAME.put(Character.toUpperCase(lower.charAt(0)) + lower.substring(1), kind);
        }
    }

    private MatcherFactory() {
    }

    static Kind lookup(String name, int column, boolean tcp) throws RuleSyntaxException {
        Kind kind = BY_NAME.get(name);
        if (kind != null && kind.in(tcp)) {
            return kind;
        }
        String renamed = (tcp ? HTTP_ONLY : RENAMED).get(kind != null ? kind.canonical : name);
        if (renamed == null && kind != null) {
            throw new RuleSyntaxException(column, "unknown matcher \"" + name + "\": " + kind.canonical + " is "
                    + (tcp ? "an HTTP matcher (TCP routers know " : "a TCP matcher (HTTP routers know ") + knownNames(tcp) + ")");
        }
        if (renamed != null) {
            int bar = renamed.indexOf('|');
            throw new RuleSyntaxException(column, "unknown matcher \"" + name + "\" (did you mean \""
                    + renamed.substring(0, bar) + "\"? " + renamed.substring(bar + 1) + ")");
        }
        String closest = closest(name, tcp);
        throw new RuleSyntaxException(column, "unknown matcher \"" + name + "\""
                + (closest != null ? " (did you mean \"" + closest + "\"?)" : " (known matchers: " + knownNames(tcp) + ")"));
    }

    static Rule build(Kind kind, Arg name, List<Arg> args) throws RuleSyntaxException {
        checkArity(kind, name, args.size());
        Arg first = args.get(0);
        String v = first.value();
        return switch (kind) {
            case HOST, HOST_SNI -> host(kind, first);
            case HOST_REGEXP, HOST_SNI_REGEXP -> new Matchers.HostRegexp(regex(kind, first));
            case ALPN -> {
                if (v.isEmpty()) {
                    throw new RuleSyntaxException(first.column(), "ALPN value must not be empty");
                }
                if (v.equals("acme-tls/1")) {
                    throw new RuleSyntaxException(first.column(), "ALPN value acme-tls/1 is reserved for ACME TLS challenges");
                }
                yield new Matchers.Alpn(v);
            }
            case PATH -> new Matchers.Path(path(kind, first));
            case PATH_PREFIX -> new Matchers.PathPrefix(path(kind, first));
            case PATH_REGEXP -> new Matchers.PathRegexp(regex(kind, first));
            case METHOD -> {
                if (v.isEmpty()) {
                    throw new RuleSyntaxException(first.column(), "Method value must not be empty");
                }
                yield new Matchers.Method(v.toUpperCase(Locale.ROOT));
            }
            case HEADER -> new Matchers.Header(headerName(kind, first), args.get(1).value());
            case HEADER_REGEXP -> new Matchers.HeaderRegexp(headerName(kind, first), regex(kind, args.get(1)));
            case QUERY -> new Matchers.Query(queryKey(kind, first), args.size() == 2 ? args.get(1).value() : "");
            case QUERY_REGEXP -> args.size() == 1
                    ? new Matchers.Query(queryKey(kind, first), "")
                    : new Matchers.QueryRegexp(queryKey(kind, first), regex(kind, args.get(1)));
            case CLIENT_IP -> {
                try {
                    yield new Matchers.ClientIp(IpNetwork.parse(v));
                } catch (IllegalArgumentException e) {
                    throw new RuleSyntaxException(first.column(), "ClientIP: " + e.getMessage());
                }
            }
        };
    }

    private static void checkArity(Kind kind, Arg name, int count) throws RuleSyntaxException {
        if (count >= kind.minArgs && count <= kind.maxArgs) {
            return;
        }
        String expected = kind.minArgs == kind.maxArgs
                ? kind.minArgs + (kind.minArgs == 1 ? " value" : " values")
                : kind.minArgs + " or " + kind.maxArgs + " values";
        String reason = kind.canonical + " takes " + expected + ", got " + count;
        if (kind.maxArgs == 1 && count > 1) {
            // The v2 habit Host(`a`, `b`) is the common way to get here.
            reason += "; Traefik v3 matchers take a single value, combine them with || instead, e.g. "
                    + kind.canonical + "(`a`) || " + kind.canonical + "(`b`)";
        }
        throw new RuleSyntaxException(name.column(), reason);
    }

    private static Rule host(Kind kind, Arg arg) throws RuleSyntaxException {
        String v = arg.value();
        String what = kind.canonical;
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) > 0x7F) {
                throw new RuleSyntaxException(arg.column(),
                        what + " value \"" + v + "\" contains non-ASCII characters; use its punycode (xn--) form");
            }
        }
        if (v.equals("*")) {
            return new Matchers.AnyHost();
        }
        String h = v.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // the matcher tolerates a trailing dot on the request side
        }
        if (h.isEmpty()) {
            throw new RuleSyntaxException(arg.column(), what + " value must not be empty");
        }
        int star = h.indexOf('*');
        if (star < 0) {
            return new Matchers.Host(h);
        }
        if (star == 0 && h.length() > 2 && h.charAt(1) == '.' && h.indexOf('*', 1) < 0) {
            return new Matchers.WildcardHost(h.substring(1));
        }
        throw new RuleSyntaxException(arg.column(), "invalid wildcard in " + what + " value \"" + v
                + "\": only a whole leftmost label is allowed (*.example.com), or * alone; use " + what.replace("Host", "HostRegexp").replace("RegexpSNI", "SNIRegexp") + " for more");
    }

    private static String path(Kind kind, Arg arg) throws RuleSyntaxException {
        if (!arg.value().startsWith("/")) {
            throw new RuleSyntaxException(arg.column(),
                    kind.canonical + " value \"" + arg.value() + "\" must start with '/'");
        }
        return RoutingPath.canonicalValue(arg.value());
    }

    private static Pattern regex(Kind kind, Arg arg) throws RuleSyntaxException {
        try {
            return Pattern.compile(arg.value());
        } catch (PatternSyntaxException e) {
            throw new RuleSyntaxException(arg.column(), "invalid regular expression in " + kind.canonical
                    + ": " + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }

    private static String headerName(Kind kind, Arg arg) throws RuleSyntaxException {
        String v = arg.value();
        if (v.isEmpty()) {
            throw new RuleSyntaxException(arg.column(), kind.canonical + " header name must not be empty");
        }
        for (int i = 0; i < v.length(); i++) {
            if (!isTokenChar(v.charAt(i))) {
                throw new RuleSyntaxException(arg.column(),
                        kind.canonical + " header name \"" + v + "\" is not a valid HTTP field name");
            }
        }
        return v;
    }

    private static String queryKey(Kind kind, Arg arg) throws RuleSyntaxException {
        if (arg.value().isEmpty()) {
            throw new RuleSyntaxException(arg.column(), kind.canonical + " key must not be empty");
        }
        return arg.value();
    }

    /** RFC 9110 tchar. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** Closest known name by edit distance (case-insensitive, transpositions count once). */
    private static String closest(String name, boolean tcp) {
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Kind kind : Kind.values()) {
            if (!kind.in(tcp)) {
                continue;
            }
            int d = distance(lower, kind.canonical.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = kind.canonical;
            }
        }
        int allowed = Math.max(2, name.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    /** Optimal string alignment distance. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String knownNames(boolean tcp) {
        StringBuilder b = new StringBuilder();
        for (Kind kind : Kind.values()) {
            if (!kind.in(tcp)) {
                continue;
            }
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(kind.canonical);
        }
        return b.toString();
    }
}
