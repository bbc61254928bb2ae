package dev.sluice.proxy.service;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What observers read of a response (status, headers), copied when an exchange is upgraded; see {@link ObservedRequest}. */
final class ObservedResponse extends HttpServletResponseWrapper {
    private final int status;
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    ObservedResponse(HttpServletResponse response) {
        super(response);
        status = response.getStatus();
        for (String name : response.getHeaderNames()) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(response.getHeaders(name));
        }
    }

    @Override public int getStatus() { return status; }
    @Override public boolean isCommitted() { return true; }
    @Override public boolean containsHeader(String name) { return headers.containsKey(name); }

    @Override
    public String getHeader(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public Collection<String> getHeaderNames() {
        return new LinkedHashMap<>(headers).keySet();
    }
}
