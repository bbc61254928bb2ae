package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.GoRegex;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code stripPrefixRegex}: like {@link StripPrefix}, with prefixes given as regular expressions.
 * The first expression that matches a non-empty start of the raw path wins; what it matched is
 * removed and sent in {@code X-Forwarded-Prefix}.
 */
public final class StripPrefixRegex implements Filter {
    private final List<Pattern> prefixes;

    public StripPrefixRegex(List<String> regex) {
        this.prefixes = regex.stream().map(GoRegex::compile).toList();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String path = RawPath.of(request);
        for (Pattern prefix : prefixes) {
            Matcher m = prefix.matcher(path);
            if (m.lookingAt() && m.end() > 0) {
                ModifiedRequest modified = RawPath.replace(request, path.substring(m.end()));
                modified.setHeader("X-Forwarded-Prefix", path.substring(0, m.end()));
                chain.doFilter(modified, res);
                return;
            }
        }
        chain.doFilter(req, res);
    }
}
