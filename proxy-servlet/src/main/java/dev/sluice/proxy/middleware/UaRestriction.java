package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.middleware.GoRegex;
import dev.sluice.proxy.config.middleware.UaRestrictionConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/** {@code uaRestriction} (Pingap's {@code ua_restriction}): lets pass or refuses (403) by User-Agent patterns. */
public final class UaRestriction implements Filter {
    private final List<Pattern> patterns;
    private final boolean deny;
    private final String message;

    public UaRestriction(UaRestrictionConfig options) {
        this.patterns = options.uaList().stream().map(GoRegex::compile).toList();
        this.deny = options.type().equals("deny");
        this.message = options.message();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String agent = ((HttpServletRequest) req).getHeader("User-Agent");
        boolean listed = agent != null && patterns.stream().anyMatch(p -> p.matcher(agent).find());
        if (listed == deny) {
            ShortAnswers.text((HttpServletRequest) req, (HttpServletResponse) res, 403, message);
        } else {
            chain.doFilter(req, res);
        }
    }
}
