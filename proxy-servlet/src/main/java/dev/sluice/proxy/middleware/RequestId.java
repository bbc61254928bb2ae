package dev.sluice.proxy.middleware;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code requestId}: Pingap's {@code request_id} plugin. A request that has an id in
 * {@code headerName} keeps it; any other gets a fresh one, which the upstream receives. Either way
 * the client gets the id back in the same header.
 */
public final class RequestId implements Filter {
    private final String headerName;
    private final Supplier<String> ids;

    public RequestId(String headerName, String algorithm, int size) {
        this.headerName = headerName;
        this.ids = RequestIds.of(algorithm, size);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String id = request.getHeader(headerName);
        if (id == null || id.isEmpty()) {
            id = ids.get();
            request = ModifiedRequest.of(request).setHeader(headerName, id);
        }
        HeaderOverrides echo = HeaderOverrides.NONE.with(headerName, HeaderOverrides.fixed(id));
        chain.doFilter(request, echo.wrap((HttpServletResponse) res));
    }
}
