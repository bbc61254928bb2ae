package dev.sluice.proxy.admin;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the route explainer is asked about: a request that is not sent anywhere.
 *
 * @param method upper-case, GET by default
 * @param url absolute {@code http://} or {@code https://} URL (https: as if it came over TLS)
 * @param headers in order, names as given
 * @param clientIp the client's address ({@code ClientIP} matchers, hashing by IP); 127.0.0.1 by default
 * @param entryPoint the entry point to explain, or null: those whose port is the URL's, else every HTTP one
 */
public record ExplainRequest(String method, URI url, List<Header> headers, String clientIp, String entryPoint) {
    /** One header line. */
    public record Header(String name, String value) {}

    public ExplainRequest {
        method = method == null || method.isBlank() ? "GET" : method.toUpperCase(Locale.ROOT);
        headers = List.copyOf(headers);
        clientIp = clientIp == null || clientIp.isBlank() ? "127.0.0.1" : clientIp;
        if (url == null || url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw new IllegalArgumentException("url: an absolute http:// or https:// URL is needed, got " + (url == null ? "none" : "\"" + url + "\""));
        }
    }

    /** Parses {@code url} and {@code "Name: Value"} headers (the command line's {@code -H}). */
    public static ExplainRequest of(String method, String url, List<String> headerLines, String clientIp, String entryPoint) {
        List<Header> headers = new ArrayList<>();
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("header: \"Name: Value\" expected, got \"" + line + "\"");
            }
            headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: missing, e.g. url=https://example.com/path");
        }
        try {
            return new ExplainRequest(method, new URI(url), headers, clientIp, entryPoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: not a URL: " + e.getMessage());
        }
    }

    /** From the API's query: {@code method}, {@code url}, {@code header=Name:Value} (repeated), {@code clientIp}, {@code entryPoint}. */
    static ExplainRequest fromQuery(ApiQuery query) {
        String entryPoint = query.get("entryPoint");
        return of(query.get("method"), query.get("url"), query.all("header"), query.get("clientIp"), entryPoint.isEmpty() ? null : entryPoint);
    }

    boolean secure() {
        return "https".equals(url.getScheme());
    }

    int port() {
        return url.getPort() > 0 ? url.getPort() : secure() ? 443 : 80;
    }
}
