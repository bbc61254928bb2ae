package dev.sluice.proxy.admin;

import dev.sluice.proxy.rule.RoutingPath;
import jakarta.servlet.http.HttpServletRequest;

/** The path the internal services answer by: the raw URI after the context path, normalised as for routing. */
final class AdminPaths {
    private AdminPaths() {}

    static String path(HttpServletRequest request) {
        return RoutingPath.of(request.getRequestURI().substring(request.getContextPath().length()));
    }
}
