package dev.sluice.proxy.middleware;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;

/**
 * {@code stripPrefix}: removes the first of {@code prefixes} that the path starts with, and tells
 * the upstream what was removed in {@code X-Forwarded-Prefix}, so it can build links. An emptied
 * path becomes {@code /}.
 */
public final class StripPrefix implements Filter {
    private final List<String> prefixes;

    public StripPrefix(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String path = RawPath.of(request);
        for (String prefix : prefixes) {
            if (path.startsWith(prefix)) {
                ModifiedRequest modified = RawPath.replace(request, path.substring(prefix.length()));
                modified.setHeader("X-Forwarded-Prefix", prefix);
                chain.doFilter(modified, res);
                return;
            }
        }
        chain.doFilter(req, res);
    }
}
