package dev.sluice.proxy.middleware;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/** {@code replacePath}: sends every request upstream with one fixed path (the query stays); the original goes in {@code X-Replaced-Path}. */
public final class ReplacePath implements Filter {
    static final String REPLACED_PATH = "X-Replaced-Path";

    private final String path;

    public ReplacePath(String path) {
        this.path = path;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String original = RawPath.of(request);
        chain.doFilter(RawPath.replace(request, path).setHeader(REPLACED_PATH, original), res);
    }
}
