package dev.sluice.proxy.service;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What observers (metrics, access log, tracing) read of a request, copied while the container still
 * holds it: an upgraded exchange ends when its tunnel closes, long after the container recycled the
 * request of its handshake.
 */
final class ObservedRequest extends HttpServletRequestWrapper {
    private final String method;
    private final String uri;
    private final String query;
    private final String protocol;
    private final String scheme;
    private final boolean secure;
    private final String remoteAddr;
    private final int remotePort;
    private final String serverName;
    private final int serverPort;
    private final String contentType;
    private final Cookie[] cookies;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, List<String>> byLowerName = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();

    ObservedRequest(HttpServletRequest request) {
        super(request);
        method = request.getMethod();
        uri = request.getRequestURI();
        query = request.getQueryString();
        protocol = request.getProtocol();
        scheme = request.getScheme();
        secure = request.isSecure();
        remoteAddr = request.getRemoteAddr();
        remotePort = request.getRemotePort();
        serverName = request.getServerName();
        serverPort = request.getServerPort();
        contentType = request.getContentType();
        cookies = request.getCookies();
        for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            List<String> values = Collections.list(request.getHeaders(name));
            headers.put(name, values);
            byLowerName.merge(name.toLowerCase(Locale.ROOT), values, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
        }
        for (Enumeration<String> names = request.getAttributeNames(); names.hasMoreElements(); ) {
            String name = names.nextElement();
            attributes.put(name, request.getAttribute(name));
        }
    }

    @Override public String getMethod() { return method; }
    @Override public String getRequestURI() { return uri; }
    @Override public String getQueryString() { return query; }
    @Override public String getProtocol() { return protocol; }
    @Override public String getScheme() { return scheme; }
    @Override public boolean isSecure() { return secure; }
    @Override public String getRemoteAddr() { return remoteAddr; }
    @Override public int getRemotePort() { return remotePort; }
    @Override public String getServerName() { return serverName; }
    @Override public int getServerPort() { return serverPort; }
    @Override public String getContentType() { return contentType; }
    @Override public Cookie[] getCookies() { return cookies; }
    @Override public Object getAttribute(String name) { return attributes.get(name); }
    @Override public Enumeration<String> getAttributeNames() { return Collections.enumeration(attributes.keySet()); }

    @Override
    public String getHeader(String name) {
        List<String> values = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        List<String> values = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return Collections.enumeration(values == null ? List.of() : values);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(headers.keySet());
    }
}
