package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.middleware.GoRegex;
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
 * {@code redirectRegex}: the request's URL is {@code scheme://Host/path?query} (the scheme of the
 * connection, the {@code Host} header as sent, port included); when {@code regex} matches it, every
 * match is replaced and the client redirected to the result, unless that changed nothing.
 */
public final class RedirectRegex implements Filter {
    private final Pattern regex;
    private final String replacement;
    private final boolean permanent;

    public RedirectRegex(String regex, String replacement, boolean permanent) {
        this.regex = GoRegex.compile(regex);
        this.replacement = replacement;
        this.permanent = permanent;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String url = (request.isSecure() ? "https" : "http") + "://" + ClientUrl.host(request) + ClientUrl.requestUri(request);
        if (!regex.matcher(url).find()) {
            chain.doFilter(req, res);
            return;
        }
        String target = GoRegex.replaceAll(regex, url, replacement);
        if (target.equals(url)) {
            chain.doFilter(req, res);
        } else {
            ShortAnswers.redirect(request, (HttpServletResponse) res, target, permanent);
        }
    }
}
