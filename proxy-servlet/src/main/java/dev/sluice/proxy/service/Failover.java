package dev.sluice.proxy.service;

import dev.sluice.proxy.config.middleware.StatusRanges;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * {@code failover}: the main service while it is healthy, the fallback while it is not. Following
 * the main's health needs a health check on it (validated); without one the main is always used.
 * With {@code errors}, a listed status from the main is not sent to the client: the request is
 * replayed on the fallback (its body kept in memory up to {@code maxRequestBodyBytes}, else 413).
 */
public final class Failover extends HealthReportingService {
    private final HttpService main;
    private final HttpService fallback;
    private final StatusRanges replayStatuses;
    private final long maxReplayBody;

    /**
     * @param replayStatuses {@code errors.status}: answers of the main that are replayed on the
     *     fallback; empty for none
     * @param maxReplayBody {@code errors.maxRequestBodyBytes}; larger bodies get 413, -1 = no limit
     */
    public Failover(String name, HttpService main, HttpService fallback, boolean reportsHealth, List<String> replayStatuses,
            long maxReplayBody) {
        super(name);
        this.main = main;
        this.fallback = fallback;
        this.replayStatuses = StatusRanges.parse(replayStatuses);
        this.maxReplayBody = KeptBody.cap(maxReplayBody);
        if (reportsHealth) {
            Runnable update = this::update;
            if (main instanceof HealthAware aware) {
                aware.onChange(update);
            }
            if (fallback instanceof HealthAware aware) {
                aware.onChange(update);
            }
            update();
        }
    }

    private synchronized void update() {
        report(up(main) || up(fallback));
    }

    private static boolean up(HttpService service) {
        return !(service instanceof HealthAware aware) || aware.isUp();
    }

    private HttpService active() {
        return up(main) ? main : fallback;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException, ServletException {
        HttpService active = active();
        if (active != main || replayStatuses.isEmpty()) {
            active.handle(exchange, request, response, proxy);
            return;
        }
        // Keep the body, so that a listed answer of the main can be replayed on the fallback.
        byte[] body = null;
        if (KeptBody.present(request)) {
            body = KeptBody.read(request, maxReplayBody);
            if (body == null) {
                response.sendError(413);
                return;
            }
        }
        Replay replay = new Replay(replayStatuses, fallback, body);
        exchange.replay(replay);
        main.handle(exchange, replay.request(request), response, proxy);
    }

    @Override
    public Target pick(HttpServletRequest request) {
        return active().pick(request);
    }

    @Override
    public Target peek(HttpServletRequest request) {
        return active().peek(request);
    }
}
