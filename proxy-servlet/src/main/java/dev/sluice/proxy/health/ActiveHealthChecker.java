package dev.sluice.proxy.health;

import dev.sluice.proxy.config.HealthCheckConfig;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks of a load balancer's servers: each target is checked on its own timer on the
 * client's scheduler, with a non-blocking request, so any number of services share one scheduler
 * thread and no check ever occupies a thread while it waits. Healthy means the configured
 * {@code status}, or any 2xx/3xx; a timeout or connection error is unhealthy.
 */
public final class ActiveHealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveHealthChecker.class);

    /** One server to check: where, with which Host, and whose state to update. */
    /**
     * One server to check.
     *
     * @param transport the unix-domain socket of a {@code unix:} server, else null (TCP to {@code checkUri})
     */
    public record Target(String name, URI checkUri, String hostHeader, HealthState state, org.eclipse.jetty.io.Transport transport) {
        public Target(String name, URI checkUri, String hostHeader, HealthState state) {
            this(name, checkUri, hostHeader, state, null);
        }
    }

    private final HttpClient client;
    private final HealthCheckConfig config;
    private final List<Target> targets;
    private final boolean grpc;
    private volatile boolean closed;

    public ActiveHealthChecker(HttpClient client, HealthCheckConfig config, List<Target> targets) {
        this.client = client;
        this.config = config;
        this.targets = List.copyOf(targets);
        this.grpc = "grpc".equals(config.mode());
    }

    /** Checks every target now, then on its interval. */
    public void start() {
        for (Target target : targets) {
            check(target);
        }
    }

    private void check(Target target) {
        if (closed) {
            return;
        }
        Request request = client.newRequest(target.checkUri())
                .method(config.method())
                .timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(config.followRedirects());
        if (target.transport() != null) {
            request.transport(target.transport());
        }
        request.headers(headers -> {
            config.headers().forEach(headers::put);
            if (target.hostHeader() != null) {
                headers.put(HttpHeader.HOST, target.hostHeader());
            }
        });
        if (grpc) {
            GrpcHealthProbe.send(request, (result, up) -> completed(target, result, up));
        } else {
            request.send(result -> completed(target, result, result.isSucceeded() && healthy(result.getResponse().getStatus())));
        }
    }

    private void completed(Target target, Result result, boolean up) {
        if (closed) {
            return; // a reload retired this checker: the state may already belong to its successor
        }
        boolean wasUp = target.state().isUp();
        target.state().checked(up);
        if (wasUp != up) {
            LOG.info("health check {} {}: {}", target.name(), target.checkUri(), up ? "healthy again"
                    : "unhealthy (" + (result.isFailed() ? result.getFailure().getClass().getSimpleName() : "status " + result.getResponse().getStatus()) + ")");
        }
        long delay = (up ? config.interval() : config.unhealthyInterval()).toMillis();
        if (!closed) {
            Scheduler scheduler = client.getScheduler();
            scheduler.schedule(() -> check(target), delay, TimeUnit.MILLISECONDS);
        }
    }

    private boolean healthy(int status) {
        return config.status() != null ? status == config.status() : status >= 200 && status < 400;
    }

    @Override
    public void close() {
        closed = true;
    }
}
