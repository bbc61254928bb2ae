package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.util.List;

/**
 * {@code uaRestriction} (Pingap's {@code ua_restriction}): with {@code type} "allow" (the default)
 * only requests whose User-Agent one of {@code uaList} matches (regex, unanchored) pass; with "deny"
 * those are refused. Refused requests get 403 with {@code message}.
 */
public record UaRestrictionConfig(List<String> uaList, String type, String message) implements MiddlewareOptions {
    public UaRestrictionConfig {
        uaList = uaList == null ? List.of() : List.copyOf(uaList);
        type = Restriction.type(type);
        message = Restriction.message(message);
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (uaList.isEmpty()) {
            problems.add(path + ".uaList", "at least one User-Agent pattern required");
        }
        for (int i = 0; i < uaList.size(); i++) {
            GoRegex.check(path + ".uaList[" + i + "]", uaList.get(i), problems);
        }
        Restriction.checkType(path, type, problems);
    }
}
