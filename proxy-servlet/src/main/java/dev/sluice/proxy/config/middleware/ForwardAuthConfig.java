package dev.sluice.proxy.config.middleware;

import dev.sluice.proxy.config.HttpConfig;
import dev.sluice.proxy.config.Problems;
import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code forwardAuth}: asks the server at {@code address} about each request; a 2xx lets it through
 * (with {@code authResponseHeaders} copied onto it), anything else is answered by the auth server's
 * response. {@code trustForwardHeader} left unset keeps Traefik's legacy header handling.
 * {@code maxBodySize} and {@code maxResponseBodySize} of -1 mean Traefik's "unlimited", which Sluice
 * caps at 4 MiB because it holds these bodies in memory.
 */
public record ForwardAuthConfig(String address, Boolean trustForwardHeader, List<String> authResponseHeaders,
        String authResponseHeadersRegex, List<String> authRequestHeaders, List<String> addAuthCookiesToResponse,
        Boolean forwardBody, Long maxBodySize, Long maxResponseBodySize, String headerField, Boolean preserveLocationHeader,
        Boolean preserveRequestMethod, String authSigninURL, Tls tls) implements MiddlewareOptions {

    /** TLS to the auth server: {@code ca} to trust, {@code cert}/{@code key} to present (PEM files). */
    public record Tls(String ca, String cert, String key, Boolean insecureSkipVerify) {
        public Tls {
            insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
        }
    }

    public ForwardAuthConfig {
        authResponseHeaders = authResponseHeaders == null ? List.of() : List.copyOf(authResponseHeaders);
        authRequestHeaders = authRequestHeaders == null ? List.of() : List.copyOf(authRequestHeaders);
        addAuthCookiesToResponse = addAuthCookiesToResponse == null ? List.of() : List.copyOf(addAuthCookiesToResponse);
        forwardBody = forwardBody != null && forwardBody;
        maxBodySize = maxBodySize == null ? -1L : maxBodySize;
        maxResponseBodySize = maxResponseBodySize == null ? -1L : maxResponseBodySize;
        preserveLocationHeader = preserveLocationHeader != null && preserveLocationHeader;
        preserveRequestMethod = preserveRequestMethod != null && preserveRequestMethod;
    }

    @Override
    public void validate(String path, Problems problems, HttpConfig http) {
        if (address == null || address.isBlank()) {
            problems.add(path + ".address", "required: the URL of the authentication server");
        } else {
            try {
                URI uri = URI.create(address);
                if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    problems.add(path + ".address", "must be an http:// or https:// URL, got \"" + address + "\"");
                }
            } catch (IllegalArgumentException e) {
                problems.add(path + ".address", "not a URL: " + e.getMessage());
            }
        }
        if (authResponseHeadersRegex != null && !authResponseHeadersRegex.isEmpty()) {
            try {
                Pattern.compile(authResponseHeadersRegex);
            } catch (PatternSyntaxException e) {
                problems.add(path + ".authResponseHeadersRegex", "bad regular expression: " + e.getDescription());
            }
        }
        if (maxBodySize < -1) {
            problems.add(path + ".maxBodySize", "must be -1 (no limit) or at least 0, got " + maxBodySize);
        }
        if (maxResponseBodySize < -1) {
            problems.add(path + ".maxResponseBodySize", "must be -1 (no limit) or at least 0, got " + maxResponseBodySize);
        }
        if (tls != null && (tls.cert() == null) != (tls.key() == null)) {
            problems.add(path + ".tls", "cert and key go together");
        }
    }

    @Override
    public MiddlewareOptions resolvePaths(UnaryOperator<String> file) {
        Tls resolved = tls == null ? null : new Tls(file.apply(tls.ca()), file.apply(tls.cert()), file.apply(tls.key()), tls.insecureSkipVerify());
        return new ForwardAuthConfig(address, trustForwardHeader, authResponseHeaders, authResponseHeadersRegex, authRequestHeaders,
                addAuthCookiesToResponse, forwardBody, maxBodySize, maxResponseBodySize, headerField, preserveLocationHeader,
                preserveRequestMethod, authSigninURL, resolved);
    }
}
