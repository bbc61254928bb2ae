package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code ping} (Pingap): a liveness answer, 200 {@code pong}, for exactly one path; every other request goes on. */
public final class Ping implements Filter {
    private final String path;

    public Ping(String path) {
        this.path = path;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (RawPath.of((HttpServletRequest) req).equals(path)) {
            ShortAnswers.text((HttpServletRequest) req, (HttpServletResponse) res, 200, "pong");
        } else {
            chain.doFilter(req, res);
        }
    }
}
