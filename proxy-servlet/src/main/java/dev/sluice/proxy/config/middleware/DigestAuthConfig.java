package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code digestAuth}: HTTP Digest (RFC 7616, MD5, qop=auth) against htdigest entries
 * {@code user:realm:HA1} ({@code users} inline, or {@code usersFile}).
 */
public record DigestAuthConfig(List<String> users, String usersFile, String realm, String headerField, Boolean removeHeader)
        implements MiddlewareOptions {
    public DigestAuthConfig {
        users = users == null ? List.of() : List.copyOf(users);
        realm = realm == null || realm.isEmpty() ? "traefik" : realm;
        removeHeader = removeHeader != null && removeHeader;
    }

    /** {@code user:realm:HA1} → key {@code user:realm}, secret HA1 (32 hex digits). */
    public static String[] splitLine(String line) {
        String[] parts = line.split(":", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].matches("[0-9a-fA-F]{32}")) {
            throw new IllegalArgumentException("expected user:realm:HA1 (htdigest, MD5 as 32 hex digits)");
        }
        return new String[] {parts[0] + ":" + parts[1], parts[2].toLowerCase(java.util.Locale.ROOT)};
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        UserTable.load(path, users, usersFile, DigestAuthConfig::splitLine, problems);
    }

    @Override
    public MiddlewareOptions resolvePaths(UnaryOperator<String> file) {
        return new DigestAuthConfig(users, file.apply(usersFile), realm, headerField, removeHeader);
    }
}
