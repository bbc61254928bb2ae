package dev.sluice.proxy.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code mirroring}: serves every request from the main service and sends a copy of a share of them
 * to each mirror, fire-and-forget: mirror responses are discarded, a slow or dead mirror never
 * delays or fails the main request, and at most {@value MirrorSender#MAX_IN_FLIGHT} copies per
 * mirror are in flight (beyond that, copies are dropped).
 *
 * <p>With {@code mirrorBody = false} copies go without the body and the main request is untouched.
 * Otherwise a request with a body is copied only when the body is within {@code maxBodySize}
 * (and {@value KeptBody#MAX} bytes when unlimited): the body is then read once into memory and
 * replayed to the main service. A body without a declared length is read up to one byte past the
 * limit to find out; if it is longer, the main service gets what was read followed by the rest,
 * and no mirror gets a copy. A body whose declared length is over the limit is not read at all.
 */
public final class Mirroring implements HttpService, HealthAware {
    /** One mirror and its share of requests, 0 to 100. */
    public record Mirror(HttpService service, int percent, MirrorSender sender) {}

    private final String name;
    private final HttpService main;
    private final List<Mirror> mirrors;
    private final boolean mirrorBody;
    private final long maxBodySize;
    private final AtomicLong requests = new AtomicLong();

    public Mirroring(String name, HttpService main, List<Mirror> mirrors, boolean mirrorBody, long maxBodySize) {
        this.name = name;
        this.main = main;
        this.mirrors = List.copyOf(mirrors);
        this.mirrorBody = mirrorBody;
        this.maxBodySize = KeptBody.cap(maxBodySize);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isUp() {
        return !(main instanceof HealthAware aware) || aware.isUp();
    }

    @Override
    public void onChange(Runnable listener) {
        if (main instanceof HealthAware aware) {
            aware.onChange(listener);
        }
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException, ServletException {
        if (Upgrades.requested(request)) {
            main.handle(exchange, request, response, proxy); // a tunnel is not copied
            return;
        }
        long n = requests.incrementAndGet();
        HttpServletRequest forMain = request;
        byte[] body = null;
        boolean copy = true;
        if (mirrorBody && KeptBody.present(request)) {
            copy = request.getContentLengthLong() <= maxBodySize;
            if (copy) {
                byte[] kept = KeptBody.readAtMost(request, maxBodySize);
                copy = kept.length <= maxBodySize;
                body = copy ? kept : null;
                forMain = copy ? new ReplayedBodyRequest(request, kept) : new ReplayedBodyRequest(request, kept, request.getInputStream());
            }
        }
        if (copy) {
            for (Mirror mirror : mirrors) {
                if (selected(n, mirror.percent())) {
                    Target target = mirror.service().pick(request);
                    if (target != null) {
                        mirror.sender().send(request, target, body);
                    }
                }
            }
        }
        main.handle(exchange, forMain, response, proxy);
    }

    /**
     * Exactly {@code percent} of every hundred requests, spread evenly: request n is mirrored when
     * {@code n × percent / 100} reaches a new integer.
     */
    static boolean selected(long n, int percent) {
        return percent > 0 && (n * percent / 100) != ((n - 1) * percent / 100);
    }

    @Override
    public Target pick(HttpServletRequest request) {
        return main.pick(request);
    }

    @Override
    public Target peek(HttpServletRequest request) {
        return main.peek(request);
    }
}
