package dev.sluice.proxy.balance;

import java.util.Locale;
import java.util.Objects;

/**
 * What a {@code hash} load balancer hashes ({@code hashKey}): the client IP, the URL (path and
 * query), the path, or a named header, cookie or query parameter. Parsed once, when the
 * configuration is read; the service builds its request function from this value alone.
 *
 * <pre>
 * HashKey.parse("header:X-User")   // HashKey[kind=HEADER, name=X-User]
 * HashKey.parse("ip")              // HashKey.IP
 * </pre>
 *
 * @param kind what part of the request is hashed
 * @param name the header, cookie or parameter name for the named kinds; null for the others
 */
public record HashKey(Kind kind, String name) {
    /** The default: the client's IP address. */
    public static final HashKey IP = new HashKey(Kind.IP, null);

    private static final String FORMS = "use ip, url, path, header:Name, cookie:name or query:name";

    /** The parts of a request a key can name. */
    public enum Kind {
        IP, URL, PATH, HEADER, COOKIE, QUERY;

        /** True for header, cookie and query, which need a name after the colon. */
        public boolean named() {
            return this == HEADER || this == COOKIE || this == QUERY;
        }

        String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public HashKey {
        Objects.requireNonNull(kind, "kind");
        if (kind.named() && (name == null || name.isBlank())) {
            throw new IllegalArgumentException(kind.configName() + " hash key needs a name, e.g. " + kind.configName() + ":X-User");
        }
        if (!kind.named() && name != null) {
            throw new IllegalArgumentException(kind.configName() + " hash key takes no name, got \"" + name + "\"");
        }
    }

    /**
     * The key written {@code text} in configuration: {@code ip}, {@code url}, {@code path},
     * {@code header:Name}, {@code cookie:name} or {@code query:name}. Spaces around the name are
     * dropped; an empty name is an error.
     *
     * @throws IllegalArgumentException naming the forms that are understood
     */
    public static HashKey parse(String text) {
        int colon = text.indexOf(':');
        String kindName = colon < 0 ? text : text.substring(0, colon);
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.configName().equals(kindName)) {
                kind = k;
            }
        }
        String name = colon < 0 ? null : text.substring(colon + 1).strip();
        if (kind == null || kind.named() != (colon >= 0) || (name != null && name.isEmpty())) {
            throw new IllegalArgumentException("unknown hash key \"" + text + "\"; " + FORMS);
        }
        return new HashKey(kind, name);
    }

    /** The configuration form, e.g. {@code header:X-User}. */
    @Override
    public String toString() {
        return name == null ? kind.configName() : kind.configName() + ":" + name;
    }
}
