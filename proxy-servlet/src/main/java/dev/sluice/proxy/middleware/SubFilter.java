package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.MediaType;
import dev.sluice.proxy.config.middleware.SubFilterConfig;
import dev.sluice.proxy.config.middleware.SubFilterRule;
import dev.sluice.proxy.middleware.body.BodyRewrite;
import dev.sluice.proxy.middleware.body.RewrittenExchange;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code subFilter} (Pingap's {@code sub_filter}): replaces text in response bodies as they stream
 * through, rule after rule ({@link Substitution}). Applies to requests whose path matches
 * {@code path}, to responses with a listed status and type that are neither encoded
 * ({@code Content-Encoding} other than identity: compressed bytes would never match) nor partial.
 * As in Pingap, {@code Range} and {@code If-Range} are removed from the requests it applies to
 * (the upstream sends the whole body), and a rewritten response loses Content-Length and
 * Accept-Ranges while a strong ETag becomes weak.
 */
public final class SubFilter implements Filter {
    private final List<SubFilterRule> rules;
    private final Pattern path;
    private final int[] statuses;
    private final List<MediaType> types;

    public SubFilter(SubFilterConfig config) {
        this.rules = config.rules();
        this.path = config.path() == null ? null : Pattern.compile(config.path());
        this.statuses = config.statusCodes() == null ? null
                : Arrays.stream(config.statusCodes().split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        this.types = config.types().contains("*") ? null : config.types().stream().map(MediaType::parse).toList();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String requestPath = request.getRequestURI().substring(request.getContextPath().length());
        if ("HEAD".equals(request.getMethod()) || (path != null && !path.matcher(requestPath).find())) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest whole = ModifiedRequest.of(request).hideHeader("Range").hideHeader("If-Range");
        RewrittenExchange.run(whole, (HttpServletResponse) res, chain, new Rewrite());
    }

    private boolean applies(HttpServletResponse response) {
        int status = response.getStatus();
        if (status < 200 || status == 204 || status == 304 || status == 206 || response.getHeader("Content-Range") != null) {
            return false;
        }
        String encoding = response.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            return false;
        }
        if (statuses != null && Arrays.stream(statuses).noneMatch(s -> s == status)) {
            return false;
        }
        if (types == null) {
            return true;
        }
        String contentType = response.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parse(contentType);
            return types.stream().anyMatch(t -> t.matches(type));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private final class Rewrite implements BodyRewrite {
        @Override
        public Set<String> heldHeaders() {
            return Set.of("content-length", "accept-ranges");
        }

        @Override
        public Transform decide(HttpServletResponse response, Moment moment, long declaredLength, ByteBuffer held) {
            if (!applies(response)) {
                return PASS;
            }
            return out -> {
                String etag = response.getHeader("ETag");
                if (etag != null && !etag.startsWith("W/")) {
                    response.setHeader("ETag", "W/" + etag);
                }
                return new Substituting(out);
            };
        }
    }

    /** The rules in a row, each fed what the one before it let through. */
    private final class Substituting extends OutputStream {
        private final OutputStream out;
        private final Substitution[] stages;

        Substituting(OutputStream out) {
            this.out = out;
            this.stages = rules.stream().map(Substitution::new).toArray(Substitution[]::new);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            pass(new String(b, off, len, StandardCharsets.ISO_8859_1), false);
        }

        @Override
        public void close() throws IOException {
            pass("", true);
        }

        private void pass(String text, boolean end) throws IOException {
            String through = text;
            for (Substitution stage : stages) {
                through = stage.feed(through, end);
            }
            out.write(through.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
