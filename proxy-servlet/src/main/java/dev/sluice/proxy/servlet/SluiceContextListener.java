package dev.sluice.proxy.servlet;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.EntryPointRoles;
import dev.sluice.proxy.config.InlineConfig;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.SessionObserver;
import dev.sluice.proxy.runtime.ConfigWatcher;
import dev.sluice.proxy.runtime.L4Relay;
import dev.sluice.proxy.runtime.SluiceRuntime;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boots Sluice inside a servlet container (the WAR): reads the web application's init-params
 * ({@code <context-param>} in web.xml), starts the {@link SluiceRuntime} and publishes it for
 * {@link SluiceFilter} and {@link SluiceProxyServlet}. Either {@code config} names a TOML or YAML
 * file, or {@code upstreams} (with {@code strategy}, {@code preserveHost}, {@code prefix}) describes
 * one service inline. A bad configuration fails the deployment with the key path in the message.
 */
public class SluiceContextListener implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceContextListener.class);
    /** The running TCP/UDP relay, when the configuration has TCP or UDP entry points. */
    public static final String RELAY_ATTRIBUTE = L4Relay.class.getName();
    /** The watcher of the configuration file, when there is one. */
    public static final String WATCHER_ATTRIBUTE = ConfigWatcher.class.getName();

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        SluiceConfig config;
        try {
            config = load(context);
        } catch (ConfigException e) {
            LOG.error("Sluice configuration rejected:\n{}", e.getMessage());
            throw new IllegalStateException("Sluice configuration rejected: " + e.getMessage());
        }
        config.warnings().forEach(warning -> LOG.warn("{}", warning));
        if (config.log().level() != null) {
            // In a WAR the container owns the logging backend; Sluice does not reconfigure it.
            LOG.warn("`log.level`: set by the servlet container's logging in a WAR, ignored");
        }
        SluiceRuntime runtime;
        try {
            runtime = SluiceRuntime.start(config);
        } catch (Exception e) {
            throw new IllegalStateException("Sluice failed to start: " + e.getMessage(), e);
        }
        L4Relay.Running relay;
        try {
            relay = startRelay(config, runtime.sessionObservers());
        } catch (Exception e) {
            runtime.close();
            throw new IllegalStateException("Sluice failed to start its TCP/UDP entry points: " + e.getMessage(), e);
        }
        if (relay != null) {
            context.setAttribute(RELAY_ATTRIBUTE, relay);
            runtime.tcpServerStatus(relay::serverStatus);
        }
        context.setAttribute(SluiceRuntime.ATTRIBUTE, runtime);
        String file = context.getInitParameter("config");
        if (file != null && !file.isBlank()) {
            // The configuration file is watched as in the standalone jar: a valid change applies live.
            context.setAttribute(WATCHER_ATTRIBUTE, ConfigWatcher.start(List.of(Path.of(file.trim())), config, next -> apply(runtime, relay, next),
                    runtime.reloads()));
        }
        LOG.info("Sluice started in {}", context.getContextPath().isEmpty() ? "/" : context.getContextPath());
    }

    /** A reload: the relay's new listeners are bound first, so that a port in use leaves everything as it was. */
    private static void apply(SluiceRuntime runtime, L4Relay.Running relay, SluiceConfig next) throws Exception {
        rejectUnixSockets(next);
        SluiceRuntime.Pending pending = runtime.prepare(next);
        Runnable relaySwitch;
        try {
            relaySwitch = relay == null ? () -> {} : relay.prepare(next);
        } catch (Exception | Error e) {
            pending.abandon();
            throw e;
        }
        pending.commit();
        relaySwitch.run();
    }

    /** The relay (tcp-relay, found through ServiceLoader) for TCP and UDP entry points; null without tcp-relay. */
    private static L4Relay.Running startRelay(SluiceConfig config, SessionObserver sessions) throws Exception {
        for (L4Relay relay : ServiceLoader.load(L4Relay.class, SluiceContextListener.class.getClassLoader())) {
            return relay.start(config, sessions);
        }
        EntryPointRoles roles = EntryPointRoles.of(config);
        if (!roles.all(EntryPointRoles.Role.TCP).isEmpty() || !roles.all(EntryPointRoles.Role.UDP).isEmpty()) {
            LOG.warn("TCP/UDP entry points {} not started: the tcp-relay module is not on the class path",
                    roles.all(EntryPointRoles.Role.TCP) + " " + roles.all(EntryPointRoles.Role.UDP));
        }
        return null;
    }

    private static SluiceConfig load(ServletContext context) throws ConfigException {
        String file = context.getInitParameter("config");
        if (file != null && !file.isBlank()) {
            return rejectUnixSockets(ConfigLoader.load(List.of(Path.of(file.trim()))));
        }
        return InlineConfig.from(context::getInitParameter);
    }

    /**
     * In a WAR the container owns the HTTP listeners, and the relay's TCP/UDP entry points take IP
     * addresses only: a {@code unix:} entry point is the standalone jar's, so it is an error here
     * rather than a socket that silently never appears.
     */
    static SluiceConfig rejectUnixSockets(SluiceConfig config) throws ConfigException {
        List<String> problems = new java.util.ArrayList<>();
        config.entryPoints().forEach((name, ep) -> {
            if (dev.sluice.proxy.config.EntryPointAddress.isUnix(ep.address())) {
                problems.add("entryPoints." + name + ".address: unix socket entry points are served by the standalone jar only;"
                        + " in a WAR the servlet container owns the listeners (configure a unix socket connector there)");
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (event.getServletContext().getAttribute(WATCHER_ATTRIBUTE) instanceof ConfigWatcher watcher) {
            watcher.close();
            event.getServletContext().removeAttribute(WATCHER_ATTRIBUTE);
        }
        if (event.getServletContext().getAttribute(RELAY_ATTRIBUTE) instanceof AutoCloseable relay) {
            try {
                relay.close();
            } catch (Exception e) {
                LOG.warn("stopping the TCP/UDP relay failed", e);
            }
            event.getServletContext().removeAttribute(RELAY_ATTRIBUTE);
        }
        Object runtime = event.getServletContext().getAttribute(SluiceRuntime.ATTRIBUTE);
        if (runtime instanceof SluiceRuntime sluice) {
            sluice.close();
            event.getServletContext().removeAttribute(SluiceRuntime.ATTRIBUTE);
        }
    }
}
