package dev.sluice.proxy.middleware.auth;

import dev.sluice.proxy.config.ServersTransportConfig;
import dev.sluice.proxy.config.middleware.ForwardAuthConfig;
import dev.sluice.proxy.middleware.MiddlewareContext;
import dev.sluice.proxy.middleware.ModifiedRequest;
import dev.sluice.proxy.middleware.Resumed;
import dev.sluice.proxy.service.HopByHop;
import dev.sluice.proxy.service.KeptBody;
import dev.sluice.proxy.service.ReplayedBodyRequest;
import dev.sluice.proxy.transport.UpstreamClients;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forwardAuth}: each request first goes, as a sub-request, to the auth server. The
 * sub-request is non-blocking: the filter starts async mode, sends it with the Jetty client, and
 * returns; the client's callback then either continues the chain (2xx, with the listed auth
 * response headers set on the request) or writes the auth server's answer to the client. As in
 * Traefik, an unreachable auth server gives 500, and a body over its limit gives 401.
 */
public final class ForwardAuth implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardAuth.class);
    /** Traefik's auth client gives up after 30 s. */
    private static final long TIMEOUT_SECONDS = 30;
    private static final String TLS_CLIENT = "forwardAuth";

    private final ForwardAuthConfig options;
    private final HttpClient client;
    private final URI address;
    private final Pattern responseHeadersRegex;
    private final Set<String> authCookies;

    /**
     * The filter, on the snapshot's client, or with {@code tls} on a client of its own (closed with
     * the snapshot) that trusts {@code tls.ca} and presents {@code tls.cert}.
     */
    public static ForwardAuth create(ForwardAuthConfig options, MiddlewareContext context) throws Exception {
        if (options.trustForwardHeader() == null) {
            LOG.warn("forwardAuth {}: trustForwardHeader is not set; X-Forwarded-* are handled the legacy way (set it to true or false)",
                    context.name());
        }
        ForwardAuthConfig.Tls tls = options.tls();
        if (tls == null) {
            return new ForwardAuth(options, context.httpClient());
        }
        ServersTransportConfig transport = new ServersTransportConfig(null,
                tls.cert() == null ? List.of() : List.of(new ServersTransportConfig.Certificate(tls.cert(), tls.key())),
                tls.ca() == null ? List.of() : List.of(tls.ca()), tls.insecureSkipVerify(), null, null, null, null, null);
        UpstreamClients clients = UpstreamClients.start(Map.of(TLS_CLIENT, transport));
        context.onClose(clients);
        return new ForwardAuth(options, clients.get(TLS_CLIENT));
    }

    public ForwardAuth(ForwardAuthConfig options, HttpClient client) {
        this.options = options;
        this.client = client;
        this.address = URI.create(options.address());
        String regex = options.authResponseHeadersRegex();
        this.responseHeadersRegex = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        this.authCookies = new LinkedHashSet<>(options.addAuthCookiesToResponse());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        byte[] body = null;
        if (options.forwardBody() && KeptBody.present(request)) {
            body = KeptBody.read(request, KeptBody.cap(options.maxBodySize()));
            if (body == null) {
                AuthAnswers.send(response, 401, null);
                return;
            }
        }
        HttpFields.Mutable headers = AuthRequestHeaders.of(request, options.trustForwardHeader(), options.authRequestHeaders());
        Request authRequest = client.newRequest(address)
                .method(options.preserveRequestMethod() ? request.getMethod() : HttpMethod.GET.asString())
                .headers(h -> h.add(headers))
                .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (body != null) {
            authRequest.body(new BytesRequestContent(body));
        }
        HttpServletRequest forwarded = body == null ? request : new ReplayedBodyRequest(request, body);
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the sub-request has its own timeout; the proxy sets its own afterwards
        authRequest.send(new BoundedBody(KeptBody.cap(options.maxResponseBodySize()),
                (result, authBody) -> answered(async, chain, forwarded, response, result, authBody)));
    }

    private void answered(AsyncContext async, FilterChain chain, HttpServletRequest request, HttpServletResponse response,
            Result result, byte[] body) {
        if (result.isFailed()) {
            boolean tooLarge = result.getFailure() instanceof BoundedBody.TooLarge;
            LOG.debug("forwardAuth {}: {}", address, result.getFailure().toString());
            AsyncAnswer.error(async, response, tooLarge ? 401 : 500, null);
            return;
        }
        Response auth = result.getResponse();
        int status = auth.getStatus();
        if (status == 401 && options.authSigninURL() != null && !options.authSigninURL().isEmpty()) {
            response.setStatus(302);
            response.setHeader("Location", options.authSigninURL());
            AsyncAnswer.write(async, response, new byte[0]);
        } else if (status < 200 || status >= 300) {
            refuse(async, response, auth, body);
        } else {
            HttpServletResponse out = response;
            List<String> cookies = AuthCookiesResponse.listed(auth.getHeaders().getValuesList("Set-Cookie"), authCookies);
            if (!cookies.isEmpty()) {
                out = new AuthCookiesResponse(response, authCookies, cookies);
            }
            Resumed.resume(async, chain, withAuthHeaders(request, auth.getHeaders()), out);
        }
    }

    /** The auth server's answer goes to the client: its status, headers (not hop-by-hop) and body. */
    private void refuse(AsyncContext async, HttpServletResponse response, Response auth, byte[] body) {
        response.setStatus(auth.getStatus());
        Set<String> connectionNamed = HopByHop.namedBy(Collections.enumeration(auth.getHeaders().getValuesList("Connection")));
        for (HttpField field : auth.getHeaders()) {
            if (!HopByHop.drop(field.getName(), connectionNamed) && !"content-length".equalsIgnoreCase(field.getName())) {
                response.addHeader(field.getName(), field.getValue());
            }
        }
        String location = auth.getHeaders().get("Location");
        if (location != null && !options.preserveLocationHeader()) {
            try {
                response.setHeader("Location", address.resolve(location).toString());
            } catch (IllegalArgumentException e) {
                AsyncAnswer.error(async, response, 500, null);
                return;
            }
        }
        response.setContentLength(body.length);
        AsyncAnswer.write(async, response, body);
    }

    /** {@code authResponseHeaders} (replacing the client's, or removing them if the auth server sent none) and the regex matches. */
    private HttpServletRequest withAuthHeaders(HttpServletRequest request, HttpFields authHeaders) {
        if (options.authResponseHeaders().isEmpty() && responseHeadersRegex == null) {
            return request;
        }
        ModifiedRequest modified = ModifiedRequest.of(request);
        for (String name : options.authResponseHeaders()) {
            copy(modified, authHeaders, name);
        }
        if (responseHeadersRegex != null) {
            for (String name : Collections.list(request.getHeaderNames())) {
                if (responseHeadersRegex.matcher(canonical(name)).find()) {
                    modified.hideHeader(name);
                }
            }
            for (HttpField field : authHeaders) {
                if (responseHeadersRegex.matcher(canonical(field.getName())).find()) {
                    copy(modified, authHeaders, field.getName());
                }
            }
        }
        return modified;
    }

    private static void copy(ModifiedRequest request, HttpFields from, String name) {
        List<String> values = from.getValuesList(name);
        if (values.isEmpty()) {
            request.hideHeader(name);
        } else {
            request.setHeader(canonical(name), String.join(", ", values));
        }
    }

    /** Go's canonical header key ({@code x-auth-user} → {@code X-Auth-User}), which Traefik's regex is matched against. */
    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }
}
