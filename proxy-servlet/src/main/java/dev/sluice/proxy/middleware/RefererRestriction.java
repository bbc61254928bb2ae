package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.middleware.RefererRestrictionConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code refererRestriction} (Pingap's {@code referer_restriction}): lets pass or refuses (403) by
 * the host of the {@code Referer} URL; {@code *.example.com} matches any host ending in {@code .example.com}.
 */
public final class RefererRestriction implements Filter {
    private final Set<String> hosts;
    /** {@code .example.com} for {@code *.example.com}. */
    private final List<String> suffixes;
    private final boolean deny;
    private final String message;

    public RefererRestriction(RefererRestrictionConfig options) {
        this.hosts = options.refererList().stream().filter(h -> !h.startsWith("*"))
                .map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.suffixes = options.refererList().stream().filter(h -> h.startsWith("*"))
                .map(h -> h.substring(1).toLowerCase(Locale.ROOT)).toList();
        this.deny = options.type().equals("deny");
        this.message = options.message();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String host = hostOf(((HttpServletRequest) req).getHeader("Referer"));
        boolean listed = host != null && (hosts.contains(host) || suffixes.stream().anyMatch(host::endsWith));
        if (listed == deny) {
            ShortAnswers.text((HttpServletRequest) req, (HttpServletResponse) res, 403, message);
        } else {
            chain.doFilter(req, res);
        }
    }

    /** The lower-case host of a Referer URL, or null when there is none or it is not a URL. */
    static String hostOf(String referer) {
        if (referer == null) {
            return null;
        }
        try {
            String host = URI.create(referer.trim()).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notAUrl) {
            return null;
        }
    }
}
