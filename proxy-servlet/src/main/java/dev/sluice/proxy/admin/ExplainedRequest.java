package dev.sluice.proxy.admin;

import dev.sluice.proxy.rule.QueryString;
import dev.sluice.proxy.rule.RoutingPath;
import dev.sluice.proxy.rule.RuleRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The explained request as a servlet request (so that path middlewares and balancers see it as they
 * would see a real one) and as a {@link RuleRequest}. Nothing is sent or received; what it does not
 * define answers as an empty request would (no attributes, no body).
 */
final class ExplainedRequest extends HttpServletRequestWrapper implements RuleRequest {
    /** Answers null, false, 0 or nothing to whatever {@link ExplainedRequest} does not define. */
    private static final HttpServletRequest EMPTY = (HttpServletRequest) Proxy.newProxyInstance(
            ExplainedRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                Class<?> type = method.getReturnType();
                if (type == boolean.class) {
                    return false;
                }
                if (type == int.class || type == long.class) {
                    return type == int.class ? (Object) 0 : (Object) 0L;
                }
                if (type == Enumeration.class) {
                    return Collections.emptyEnumeration();
                }
                if (type == Map.class) {
                    return Map.of();
                }
                if (method.getName().equals("toString")) {
                    return "explained request";
                }
                return null;
            });

    private final ExplainRequest explained;
    private final String rawPath;
    private final String rawQuery;
    private final Map<String, Object> attributes = new HashMap<>();
    private InetAddress client;
    private Map<String, List<String>> query;

    ExplainedRequest(ExplainRequest explained) {
        super(EMPTY);
        this.explained = explained;
        String path = explained.url().getRawPath();
        this.rawPath = path == null || path.isEmpty() ? "/" : path;
        this.rawQuery = explained.url().getRawQuery();
    }

    // ---- RuleRequest ---------------------------------------------------------------------

    @Override
    public String host() {
        return explained.url().getHost().toLowerCase(Locale.ROOT).replace("[", "").replace("]", "");
    }

    @Override
    public String path() {
        return RoutingPath.of(rawPath);
    }

    @Override
    public String method() {
        return explained.method();
    }

    @Override
    public boolean anyHeaderValue(String name, Predicate<String> test) {
        for (ExplainRequest.Header h : explained.headers()) {
            if (h.name().equalsIgnoreCase(name) && test.test(h.value())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean anyQueryValue(String key, Predicate<String> test) {
        if (query == null) {
            query = QueryString.parse(rawQuery);
        }
        List<String> values = query.get(key);
        return values != null && values.stream().anyMatch(test);
    }

    @Override
    public InetAddress clientAddress() {
        if (client == null) {
            try {
                String ip = explained.clientIp();
                client = ip.indexOf(':') >= 0 || Character.isDigit(ip.charAt(0)) ? InetAddress.getByName(ip) : null;
            } catch (UnknownHostException e) {
                client = null;
            }
        }
        return client;
    }

    // ---- HttpServletRequest --------------------------------------------------------------

    @Override
    public String getMethod() {
        return explained.method();
    }

    @Override
    public String getScheme() {
        return explained.url().getScheme();
    }

    @Override
    public boolean isSecure() {
        return explained.secure();
    }

    @Override
    public String getServerName() {
        return host();
    }

    @Override
    public int getServerPort() {
        return explained.port();
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public String getContextPath() {
        return "";
    }

    @Override
    public String getServletPath() {
        return "";
    }

    @Override
    public String getRequestURI() {
        return rawPath;
    }

    @Override
    public StringBuffer getRequestURL() {
        return new StringBuffer(explained.url().getScheme() + "://" + explained.url().getRawAuthority() + rawPath);
    }

    @Override
    public String getQueryString() {
        return rawQuery;
    }

    @Override
    public String getParameter(String name) {
        List<String> values = QueryString.parse(rawQuery).get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String getHeader(String name) {
        for (ExplainRequest.Header h : explained.headers()) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return name.equalsIgnoreCase("Host") ? explained.url().getRawAuthority() : null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        List<String> values = new ArrayList<>();
        explained.headers().stream().filter(h -> h.name().equalsIgnoreCase(name)).forEach(h -> values.add(h.value()));
        if (values.isEmpty() && name.equalsIgnoreCase("Host")) {
            values.add(explained.url().getRawAuthority());
        }
        return Collections.enumeration(values);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        names.add("Host");
        explained.headers().forEach(h -> names.add(h.name()));
        return Collections.enumeration(names);
    }

    @Override
    public Cookie[] getCookies() {
        List<Cookie> cookies = new ArrayList<>();
        for (ExplainRequest.Header h : explained.headers()) {
            if (!h.name().equalsIgnoreCase("Cookie")) {
                continue;
            }
            for (String pair : h.value().split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    try {
                        cookies.add(new Cookie(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim()));
                    } catch (IllegalArgumentException ignored) {
                        // not a valid cookie name: a browser would not send it either
                    }
                }
            }
        }
        return cookies.isEmpty() ? null : cookies.toArray(Cookie[]::new);
    }

    @Override
    public String getRemoteAddr() {
        return explained.clientIp();
    }

    @Override
    public String getRemoteHost() {
        return explained.clientIp();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(attributes.keySet());
    }

    @Override
    public void setAttribute(String name, Object o) {
        attributes.put(name, o);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }
}
