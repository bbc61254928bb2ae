package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code refererRestriction} (Pingap's {@code referer_restriction}): the host of the Referer URL is
 * compared with {@code refererList}: exact hosts, or {@code *.example.com} for any host ending in
 * {@code .example.com}. With {@code type} "allow" (the default) only listed referers pass (a
 * request without Referer is refused); with "deny" listed ones are refused. 403 with {@code message}.
 */
public record RefererRestrictionConfig(List<String> refererList, String type, String message) implements MiddlewareOptions {
    public RefererRestrictionConfig {
        refererList = refererList == null ? List.of() : List.copyOf(refererList);
        type = Restriction.type(type);
        message = Restriction.message(message);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (refererList.isEmpty()) {
            problems.add(path + ".refererList", "at least one host required");
        }
        for (int i = 0; i < refererList.size(); i++) {
            String host = refererList.get(i);
            if (host.isEmpty() || host.indexOf('*', 1) >= 0 || host.contains("/") || host.contains(":")) {
                problems.add(path + ".refererList[" + i + "]", "expected a host such as example.com or *.example.com, got \"" + host + "\"");
            }
        }
        Restriction.checkType(path, type, problems);
    }
}
