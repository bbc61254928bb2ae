package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code basicAuth}: HTTP Basic against htpasswd entries ({@code users} inline, or {@code usersFile});
 * {@code headerField} passes the user name upstream, {@code removeHeader} drops {@code Authorization}.
 */
public record BasicAuthConfig(List<String> users, String usersFile, String realm, String headerField, Boolean removeHeader)
        implements MiddlewareOptions {
    public BasicAuthConfig {
        users = users == null ? List.of() : List.copyOf(users);
        realm = realm == null || realm.isEmpty() ? "traefik" : realm;
        removeHeader = removeHeader != null && removeHeader;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        UserTable.load(path, users, usersFile, PasswordHashFormat::splitLine, problems);
    }

    @Override
    public MiddlewareOptions resolvePaths(UnaryOperator<String> file) {
        return new BasicAuthConfig(users, file.apply(usersFile), realm, headerField, removeHeader);
    }
}
