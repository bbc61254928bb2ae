package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.CompressConfig;
import dev.sluice.proxy.config.middleware.MediaType;
import dev.sluice.proxy.middleware.body.BodyRewrite;
import dev.sluice.proxy.middleware.body.RewrittenExchange;
import dev.sluice.proxy.service.Upgrades;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code compress}: gzip, brotli or zstd, negotiated with {@link AcceptEncoding}. A response is
 * compressed when it has a body of at least {@code minResponseBodyBytes} (its Content-Length says
 * so, or that many bytes were written; a flush before that compresses at once, so streams such as
 * server-sent events keep flowing), no Content-Encoding or Content-Range, and an allowed type;
 * never {@code application/grpc}, never for HEAD. Compressed responses lose Content-Length and
 * Accept-Ranges, get {@code Vary: Accept-Encoding}, and a strong ETag becomes weak (the bytes
 * differ, the resource does not), as nginx does. A body without Content-Type gets one sniffed
 * from its first bytes ({@link ContentSniffer}) before the type filters apply.
 */
public final class Compress implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(Compress.class);
    private static final MediaType GRPC = new MediaType("application/grpc", Map.of());

    private final AcceptEncoding accept;
    private final List<MediaType> excluded;
    private final List<MediaType> included;
    private final int minBytes;

    public Compress(CompressConfig config, String name) {
        List<String> offered = new ArrayList<>(config.encodings());
        if (offered.contains("br") && !ContentCoding.brotliAvailable()) {
            LOG.warn("middleware {}: brotli's native library is not available here, br is not offered", name);
            offered.remove("br");
        }
        this.accept = new AcceptEncoding(offered, config.defaultEncoding());
        this.excluded = config.excludedContentTypes().stream().map(MediaType::parse).toList();
        this.included = config.includedContentTypes().stream().map(MediaType::parse).toList();
        this.minBytes = config.minResponseBodyBytes();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String coding = "HEAD".equals(request.getMethod()) || isGrpc(request.getContentType()) || Upgrades.requested(request)
                ? null : accept.choose(request.getHeaders("Accept-Encoding"));
        if (coding == null) {
            chain.doFilter(req, res);
            return;
        }
        RewrittenExchange.run(request, (HttpServletResponse) res, chain, new Rewrite(ContentCoding.of(coding)));
    }

    private static boolean isGrpc(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/grpc");
    }

    /** Whether a response of this type may be compressed; unreadable types are not (as in Traefik). */
    private boolean typeAllowed(String contentType) {
        MediaType type;
        try {
            type = MediaType.parse(contentType);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (GRPC.matches(type) || type.type().startsWith("application/grpc+")) {
            return false;
        }
        if (!included.isEmpty()) {
            return included.stream().anyMatch(t -> t.matches(type));
        }
        return excluded.stream().noneMatch(t -> t.matches(type));
    }

    /** The decision for one response, made once its headers are final. */
    private final class Rewrite implements BodyRewrite {
        private final ContentCoding coding;

        Rewrite(ContentCoding coding) {
            this.coding = coding;
        }

        @Override
        public Set<String> heldHeaders() {
            return Set.of("content-length", "accept-ranges");
        }

        @Override
        public Transform decide(HttpServletResponse response, Moment moment, long declaredLength, ByteBuffer held) {
            addVary(response);
            int status = response.getStatus();
            if (status < 200 || status == 204 || status == 304
                    || present(response.getHeader("Content-Encoding")) || present(response.getHeader("Content-Range"))) {
                return PASS;
            }
            String type = response.getContentType();
            boolean typed = type != null && !type.isBlank();
            if ((typed && !typeAllowed(type)) || (moment == Moment.END && !held.hasRemaining())) {
                return PASS;
            }
            boolean big = declaredLength >= 0 ? declaredLength >= minBytes : held.remaining() >= minBytes || moment == Moment.FLUSH;
            if (!big) {
                return declaredLength >= 0 || moment == Moment.END ? PASS : HOLD;
            }
            if (!typed) {
                // Named now, as Traefik's gzip handler does, so the type filters see it and so does the client.
                byte[] first = new byte[Math.min(held.remaining(), ContentSniffer.SNIFF_LENGTH)];
                held.duplicate().get(first);
                type = ContentSniffer.detect(first, 0, first.length);
                response.setContentType(type);
            }
            return typeAllowed(type) ? compressed(response) : PASS;
        }

        private Transform compressed(HttpServletResponse response) {
            return out -> {
                response.setHeader("Content-Encoding", coding.token);
                String etag = response.getHeader("ETag");
                if (etag != null && !etag.startsWith("W/")) {
                    response.setHeader("ETag", "W/" + etag);
                }
                return coding.encoder(out);
            };
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    /** Caches must key on Accept-Encoding whether or not this answer ends up compressed. */
    private static void addVary(HttpServletResponse response) {
        for (String vary : response.getHeaders("Vary")) {
            for (String token : vary.split(",")) {
                String t = token.trim();
                if (t.equals("*") || t.equalsIgnoreCase("Accept-Encoding")) {
                    return;
                }
            }
        }
        response.addHeader("Vary", "Accept-Encoding");
    }
}
