package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.middleware.GoRegex;
import dev.sluice.proxy.config.middleware.PercentEncoding;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code replacePathRegex}: when {@code regex} matches the raw path, every match is replaced (Go's
 * {@code ReplaceAllString}) and the original path goes in {@code X-Replaced-Path}. A replacement
 * that yields a broken percent-encoding is answered 500, as Traefik does.
 */
public final class ReplacePathRegex implements Filter {
    private final Pattern regex;
    private final String replacement;

    public ReplacePathRegex(String regex, String replacement) {
        this.regex = GoRegex.compile(regex);
        this.replacement = replacement;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String path = RawPath.of(request);
        if (!regex.matcher(path).find()) {
            chain.doFilter(req, res);
            return;
        }
        String replaced = GoRegex.replaceAll(regex, path, replacement);
        if (!PercentEncoding.isValid(replaced)) {
            ShortAnswers.text((HttpServletRequest) req, (HttpServletResponse) res, 500, "500 Internal Server Error: invalid percent-encoding in rewritten path\n");
            return;
        }
        chain.doFilter(RawPath.replace(request, replaced).setHeader(ReplacePath.REPLACED_PATH, path), res);
    }
}
