package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.ShortAnswers;
import dev.sluice.proxy.config.IpRanges;
import dev.sluice.proxy.config.middleware.IpAllowListConfig;
import dev.sluice.proxy.rule.IpNetwork;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Function;

/**
 * {@code ipAllowList}: lets a request pass only if its client IP is in {@code sourceRange}; others
 * (and requests with no usable IP) get {@code rejectStatusCode}.
 */
public final class IpAllowList implements Filter {
    private final IpRanges allowed;
    private final Function<HttpServletRequest, String> clientIp;
    private final int rejectStatus;

    public IpAllowList(IpAllowListConfig config) {
        this.allowed = IpRanges.parse(config.sourceRange());
        this.clientIp = ClientIp.strategy(config.ipStrategy());
        this.rejectStatus = config.rejectStatusCode();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        String ip = clientIp.apply((HttpServletRequest) req);
        if (!ip.isEmpty() && allowed.contains(IpNetwork.parseAddress(ip))) {
            chain.doFilter(req, res);
        } else {
            ShortAnswers.status((HttpServletRequest) req, (HttpServletResponse) res, rejectStatus);
        }
    }
}
