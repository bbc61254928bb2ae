package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.middleware.EncodedCharactersConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code encodedCharacters}: 400 for a raw path holding an encoded character that is not allowed.
 * These are the ones a backend may decode differently from the proxy (a split view: {@code %2F}
 * routed as one segment, served as two). A {@code %} without two characters after it is refused too.
 */
public final class EncodedCharacters implements Filter {
    /** Upper-case hex codes ({@code "2F"}) refused. */
    private final Set<String> denied;

    public EncodedCharacters(EncodedCharactersConfig allow) {
        Set<String> codes = new HashSet<>();
        deny(codes, !allow.allowEncodedSlash(), "2F");
        deny(codes, !allow.allowEncodedBackSlash(), "5C");
        deny(codes, !allow.allowEncodedNullCharacter(), "00");
        deny(codes, !allow.allowEncodedSemicolon(), "3B");
        deny(codes, !allow.allowEncodedPercent(), "25");
        deny(codes, !allow.allowEncodedQuestionMark(), "3F");
        deny(codes, !allow.allowEncodedHash(), "23");
        this.denied = Set.copyOf(codes);
    }

    private static void deny(Set<String> codes, boolean deny, String code) {
        if (deny) {
            codes.add(code);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!denied.isEmpty() && refused(((HttpServletRequest) req).getRequestURI())) {
            ShortAnswers.text((HttpServletRequest) req, (HttpServletResponse) res, 400, "400 Bad Request\n");
            return;
        }
        chain.doFilter(req, res);
    }

    boolean refused(String rawPath) {
        for (int i = rawPath.indexOf('%'); i >= 0; i = rawPath.indexOf('%', i + 3)) {
            if (i + 2 >= rawPath.length() || denied.contains(rawPath.substring(i + 1, i + 3).toUpperCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
