package dev.sluice.proxy.runtime;

import dev.sluice.proxy.admin.InternalServices;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.ExchangeObservers;
import dev.sluice.proxy.observe.metrics.PrometheusMetrics;
import dev.sluice.proxy.observe.SessionObservers;
import dev.sluice.proxy.observe.accesslog.AccessLogs;
import dev.sluice.proxy.observe.tracing.ExchangeTracing;
import dev.sluice.proxy.observe.events.EventBus;
import dev.sluice.proxy.observe.events.EventType;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.transport.UpstreamClients;
import java.util.concurrent.Executor;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of one Sluice instance: the current {@link Snapshot}, swapped atomically when the
 * configuration changes. Whoever boots Sluice (the standalone launcher or the WAR's context
 * listener) creates it and publishes it to the servlet context under {@link #ATTRIBUTE}; the filter
 * and servlet read it there, and each request keeps the snapshot it started with.
 *
 * <pre>
 * SluiceRuntime runtime = SluiceRuntime.start(config);
 * runtime.swap(newConfig);   // validated first; throws, and keeps serving the old one, if it cannot be built
 * </pre>
 */
public final class SluiceRuntime implements AutoCloseable {
    public static final String ATTRIBUTE = SluiceRuntime.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(SluiceRuntime.class);

    private final Executor executor;
    private final InternalServices internalServices;
    private final ExchangeObservers observers = new ExchangeObservers();
    private final ReloadHistory reloads = new ReloadHistory(java.time.Clock.systemUTC());
    /** {@code [metrics.prometheus]} and {@code [metrics.otlp]} as at start, or null without both. */
    private PrometheusMetrics metrics;
    /** {@code [tracing]} as at start, or null without it. */
    private ExchangeTracing tracing;
    private final SessionObservers sessionObservers = new SessionObservers();
    /** {@code [accessLog]}: observes both, across reloads. */
    private final AccessLogs accessLogs = new AccessLogs();
    /** {@code [events]}: the webhooks, replaced live on reload; the sources publish to it. */
    private final EventBus events = new EventBus(java.time.Clock.systemUTC());
    private final ServerHealthEvents healthEvents = new ServerHealthEvents(events);
    /** Set once a graceful shutdown began: {@code ping@internal} answers its terminating status from then on. */
    private volatile boolean terminating;
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private volatile Snapshot current;
    /** What the current snapshot holds that the next build may take over; guarded by {@code lock}. */
    private Carryover committed;

    /** The port each entry point listens on, for redirections to an entry point configured on port 0. */
    private volatile ToIntFunction<String> listening = name -> -1;

    private SluiceRuntime(Executor executor, InternalServices internalServices) {
        this.executor = executor;
        this.internalServices = internalServices;
        observers.add(accessLogs);
        sessionObservers.add(accessLogs);
        observers.add(events.rateLimitStorms());
        reloads.onRejected(problems -> events.publish(EventType.CONFIG_REJECTED, "configuration",
                java.util.Map.of("error", String.join("; ", problems))));
    }

    /** The health of TCP servers, from whoever runs the relay (it lives in tcp-relay); none by default. */
    private volatile java.util.function.Function<String, java.util.Map<String, String>> tcpServerStatus = service -> java.util.Map.of();

    /** Where the health of TCP load balancers' servers comes from: the relay, set by whoever starts it. */
    public void tcpServerStatus(java.util.function.Function<String, java.util.Map<String, String>> status) {
        tcpServerStatus = status;
    }

    /** Each server of TCP load balancer {@code service}, {@code UP} or {@code DOWN}; empty when unknown. */
    public java.util.Map<String, String> tcpServerStatus(String service) {
        return tcpServerStatus.apply(service);
    }

    /** Where the ports entry points listen on come from (the standalone server); -1 for unknown. */
    public void listeningPorts(ToIntFunction<String> ports) {
        listening = ports;
    }

    private int listeningPort(String entryPoint) {
        return listening.applyAsInt(entryPoint);
    }

    /** Starts upstream clients (with threads of their own) and builds the first snapshot of a validated configuration. */
    public static SluiceRuntime start(SluiceConfig config) throws Exception {
        return start(config, null);
    }

    /** As {@link #start(SluiceConfig)}, with the upstream clients running on {@code executor} if not null. */
    public static SluiceRuntime start(SluiceConfig config, Executor executor) throws Exception {
        return start(config, executor, InternalServices.defaults());
    }

    /** As {@link #start(SluiceConfig, Executor)}, with these handlers for the {@code @internal} services. */
    public static SluiceRuntime start(SluiceConfig config, Executor executor, InternalServices internalServices) throws Exception {
        SluiceRuntime runtime = new SluiceRuntime(executor, internalServices);
        runtime.committed = Carryover.first();
        runtime.metrics = PrometheusMetrics.create(config.metrics(), runtime.reloads, runtime::current);
        if (runtime.metrics != null) {
            runtime.observers.add(runtime.metrics);
            runtime.sessionObservers.add(runtime.metrics.sessions());
        }
        runtime.tracing = ExchangeTracing.create(config.tracing());
        if (runtime.tracing != null) {
            runtime.observers.add(runtime.tracing);
        }
        runtime.swap(config);
        runtime.events.publish(EventType.PROCESS_STARTED, "sluice", java.util.Map.of("pid", Long.toString(ProcessHandle.current().pid())));
        return runtime;
    }

    /**
     * Builds a snapshot of {@code config} that never serves (nothing started: no health checks, no
     * listeners), hands it to {@code use}, then closes what the build created. For looking at a
     * configuration offline: {@code sluice explain}.
     */
    public static <T> T inspect(SluiceConfig config, java.util.function.Function<Snapshot, T> use) {
        SluiceRuntime runtime = new SluiceRuntime(null, InternalServices.defaults());
        runtime.committed = Carryover.first();
        Pending pending = runtime.prepare(config);
        try {
            return use.apply(pending.next);
        } finally {
            pending.abandon();
        }
    }

    /**
     * Builds a snapshot of {@code config} (validated by the caller) off the request path, then makes
     * it the one new requests get. What did not change is taken over with its state: servers' health
     * and load, middleware instances, upstream clients and their connections. If the build fails,
     * what it created is closed, the current snapshot keeps serving, and the failure is thrown.
     */
    public void swap(SluiceConfig config) {
        prepare(config).commit();
    }

    /**
     * The first half of {@link #swap}: builds the snapshot but does not serve it yet, so that the
     * caller can prepare what goes with it (listeners of new entry points) and still back out.
     * Holds the runtime until {@link Pending#commit()} or {@link Pending#abandon()}: one reload at a time.
     */
    public Pending prepare(SluiceConfig config) {
        lock.lock();
        try {
            Carryover carryover = committed.next();
            try {
                Snapshot next = SnapshotBuilder.build(config, executor, carryover, this::currentService, this::listeningPort,
                        name -> internalServices.create(name, config, this));
                AccessLogs.Change log;
                try {
                    log = accessLogs.prepare(config.accessLog());
                } catch (java.io.IOException e) {
                    next.retire();
                    throw new IllegalStateException("accessLog.filePath: cannot open " + config.accessLog().filePath() + ": " + e, e);
                }
                return new Pending(next, carryover, log);
            } catch (RuntimeException | Error e) {
                carryover.abandon();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            lock.unlock();
            throw e;
        }
    }

    /** A built snapshot waiting to be served ({@link #commit()}) or dropped ({@link #abandon()}); exactly one of them, once. */
    public final class Pending {
        private final Snapshot next;
        private final Carryover carryover;
        private final AccessLogs.Change log;

        private Pending(Snapshot next, Carryover carryover, AccessLogs.Change log) {
            this.next = next;
            this.carryover = carryover;
            this.log = log;
        }

        /** The configuration being prepared. */
        public SluiceConfig config() {
            return next.config();
        }

        /** New requests get the new snapshot; the old one finishes its requests and stops what it ran. */
        public void commit() {
            try {
                Snapshot previous = current;
                events.apply(next.config().eventsOrNone());
                if (events.hasAudience()) {
                    healthEvents.follow(next); // before its checks start: their first verdicts are told
                } else {
                    healthEvents.close(); // nobody to tell: servers' health states carry no listener of ours
                }
                next.start();
                current = next;
                committed = carryover;
                log.commit();
                reloads.applied();
                if (previous != null) {
                    events.publish(EventType.CONFIG_RELOADED, "configuration", java.util.Map.of());
                }
                if (previous != null && (metrics == null ? next.config().metrics().families() != null : metrics.differs(next.config()))) {
                    LOG.warn("[metrics] changed: the new settings apply at the next start");
                }
                if (previous != null && (tracing == null ? next.config().tracing() != null : tracing.differs(next.config()))) {
                    LOG.warn("[tracing] changed: the new settings apply at the next start");
                }
                if (previous != null) {
                    previous.retire();
                    carryover.retirePrevious();
                    LOG.debug("configuration swapped");
                }
            } finally {
                lock.unlock();
            }
        }

        /** Closes what the build created; the current snapshot was never touched. */
        public void abandon() {
            try {
                next.retire();
                carryover.abandon();
                log.abandon();
            } finally {
                lock.unlock();
            }
        }
    }

    private HttpService currentService(String name) {
        Snapshot snapshot = current;
        return snapshot == null ? null : snapshot.service(name);
    }

    /** The snapshot new requests are served with. */
    public Snapshot current() {
        return current;
    }

    /**
     * A graceful shutdown has begun (the launcher calls this first, before it stops accepting):
     * {@code ping@internal} answers {@code ping.terminatingStatusCode} from now on. Never undone.
     */
    public void beginShutdown() {
        if (!terminating) {
            events.publish(EventType.PROCESS_STOPPING, "sluice", java.util.Map.of("pid", Long.toString(ProcessHandle.current().pid())));
        }
        terminating = true;
    }

    /** True once {@link #beginShutdown()} was called. */
    public boolean terminating() {
        return terminating;
    }

    /** Who is told of each exchange's end (metrics, access log, tracing); they stay across reloads. */
    public ExchangeObservers observers() {
        return observers;
    }

    /** How many configurations were applied and rejected: tell it of rejections ({@link ConfigWatcher}). */
    public ReloadHistory reloads() {
        return reloads;
    }

    /** The events ({@code [events]}): publish to it, or subscribe in-process. */
    public EventBus events() {
        return events;
    }

    /** The metrics, or null without {@code [metrics.prometheus]} and {@code [metrics.otlp]} at start. */
    public PrometheusMetrics metrics() {
        return metrics;
    }

    /** The tracing, or null without {@code [tracing]} at start. */
    public ExchangeTracing tracing() {
        return tracing;
    }

    /** Who is told of the relay's TCP/UDP sessions (metrics, access log); whoever starts the relay passes them on. */
    public SessionObservers sessionObservers() {
        return sessionObservers;
    }

    /** The access log: {@link AccessLogs#reopen()} on SIGUSR1, {@link AccessLogs#dropped()} for metrics. */
    public AccessLogs accessLogs() {
        return accessLogs;
    }

    public UpstreamClients clients() {
        return current.clients();
    }

    public SluiceConfig config() {
        return current.config();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            current.retire();
            current.clients().close();
            committed.closeKept();
            accessLogs.close(); // after the last exchange: the server stopped before
            if (tracing != null) {
                tracing.close(); // exports the spans still queued
            }
            if (metrics != null) {
                metrics.close(); // pushes the last counts over OTLP
            }
            healthEvents.close();
            events.close(java.time.Duration.ofSeconds(2)); // process.stopping gets its chance to leave
        } finally {
            lock.unlock();
        }
    }
}
