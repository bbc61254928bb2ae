package dev.sluice.proxy.middleware;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request seen through changes made on its way to the upstream: another raw path, headers set or
 * hidden. Middlewares and the entry point's forwarded-header policy use it; the proxy servlet
 * copies what it sees.
 */
public final class ModifiedRequest extends HttpServletRequestWrapper {
    private String rawPath;
    /** Lower-case name → values; an empty list hides the header. */
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();

    private ModifiedRequest(HttpServletRequest request) {
        super(request);
    }

    /** Wraps {@code request}, or reuses it if it already is a ModifiedRequest. */
    public static ModifiedRequest of(HttpServletRequest request) {
        return request instanceof ModifiedRequest modified ? modified : new ModifiedRequest(request);
    }

    /** Replaces the raw (still percent-encoded) path, context path included. */
    public ModifiedRequest rawPath(String path) {
        this.rawPath = path;
        return this;
    }

    public ModifiedRequest setHeader(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        headers.put(key, List.of(value));
        names.put(key, name);
        return this;
    }

    public ModifiedRequest hideHeader(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        headers.put(key, List.of());
        names.remove(key);
        return this;
    }

    @Override
    public String getRequestURI() {
        return rawPath != null ? rawPath : super.getRequestURI();
    }

    @Override
    public StringBuffer getRequestURL() {
        if (rawPath == null) {
            return super.getRequestURL();
        }
        StringBuffer url = new StringBuffer(getScheme()).append("://").append(getServerName());
        int port = getServerPort();
        if (port > 0 && !(port == 80 && "http".equals(getScheme())) && !(port == 443 && "https".equals(getScheme()))) {
            url.append(':').append(port);
        }
        return url.append(rawPath);
    }

    @Override
    public String getHeader(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        if (values == null) {
            return super.getHeader(name);
        }
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? super.getHeaders(name) : Collections.enumeration(values);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> all = new ArrayList<>();
        for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
            String name = e.nextElement();
            if (!headers.containsKey(name.toLowerCase(Locale.ROOT))) {
                all.add(name);
            }
        }
        all.addAll(names.values());
        return Collections.enumeration(all);
    }

    @Override
    public long getDateHeader(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        if (values == null) {
            return super.getDateHeader(name);
        }
        if (values.isEmpty()) {
            return -1;
        }
        throw new IllegalArgumentException("not a date header: " + name);
    }

    @Override
    public int getIntHeader(String name) {
        String value = getHeader(name);
        return value == null ? -1 : Integer.parseInt(value);
    }
}
