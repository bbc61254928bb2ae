package dev.sluice.proxy.middleware.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys published at a JWKS URL, fetched without blocking by the Jetty client at start and then
 * every {@code ttl}; a failed fetch keeps the keys it has and tries again sooner. Until the first
 * fetch succeeds {@link #keys()} is null (the jwt middleware then answers 503).
 */
final class JwksSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JwksSource.class);
    private static final long MAX_BYTES = 1024 * 1024;
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final HttpClient client;
    private final Scheduler scheduler;
    private final URI url;
    private final Duration ttl;
    private volatile JWKSet keys;
    private volatile Scheduler.Task next;
    private volatile boolean closed;

    JwksSource(HttpClient client, Scheduler scheduler, URI url, Duration ttl) {
        this.client = client;
        this.scheduler = scheduler;
        this.url = url;
        this.ttl = ttl;
    }

    JwksSource start() {
        fetch();
        return this;
    }

    JWKSet keys() {
        return keys;
    }

    private void fetch() {
        if (closed) {
            return;
        }
        client.newRequest(url).timeout(10, TimeUnit.SECONDS).send(new BoundedBody(MAX_BYTES, this::fetched));
    }

    private void fetched(Result result, byte[] body) {
        Duration wait = ttl;
        if (result.isFailed() || result.getResponse().getStatus() != 200) {
            LOG.warn("jwks {}: {}", url, result.isFailed() ? result.getFailure().toString() : "status " + result.getResponse().getStatus());
            wait = RETRY.compareTo(ttl) < 0 ? RETRY : ttl;
        } else {
            try {
                keys = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
            } catch (ParseException e) {
                LOG.warn("jwks {}: not a JWK set: {}", url, e.getMessage());
                wait = RETRY.compareTo(ttl) < 0 ? RETRY : ttl;
            }
        }
        if (!closed) {
            next = scheduler.schedule(this::fetch, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        Scheduler.Task task = next;
        if (task != null) {
            task.cancel();
        }
    }
}
