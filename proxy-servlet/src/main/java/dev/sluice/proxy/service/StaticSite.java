package dev.sluice.proxy.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** {@code static}: answers from a directory; never reaches the proxy. */
public final class StaticSite implements HttpService {
    private final String name;
    private final StaticFiles files;

    public StaticSite(String name, StaticFiles files) {
        this.name = name;
        this.files = files;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException {
        files.serve(request, response);
    }
}
