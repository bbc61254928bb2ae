package dev.sluice.standalone;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.runtime.ConfigWatcher;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar sluice.jar --config FILE}: loads the configuration, starts every entry point and
 * serves until stopped. Exit codes: 0 after a clean stop (or {@code --check} success), 2 for a
 * configuration error, 1 when the server cannot start (for instance a port in use).
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "A reverse proxy and load balancer speaking Traefik's configuration.",
        footer = {"", "Example:", "  java -jar sluice.jar --config conf/quickstart.toml"})
public final class Main implements Callable<Integer> {
    static final int CONFIG_ERROR = 2;
    static final int START_ERROR = 1;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "Configuration file (TOML, or YAML by extension). Repeat to merge several files.")
    List<Path> configs;

    @Option(names = "--check", description = "Validate the configuration, print a summary and exit.")
    boolean check;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Also after a graceful stop (0): whatever thread a library left behind, the process ends.
        System.exit(run(args));
    }

    /** Runs the command; returns the exit code when it stops without serving, else blocks while serving. */
    static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    /** As {@link #run(String...)}, printing to the given writers. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new Main()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        SluiceConfig config;
        try {
            config = ConfigLoader.load(configs);
        } catch (ConfigException e) {
            err.println("sluice: configuration rejected:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return CONFIG_ERROR;
        }
        if (check) {
            out.printf("configuration OK: %d entry points, %d routers, %d services, %d middlewares%n",
                    config.entryPoints().size(), config.http().routers().size(), config.http().services().size(),
                    config.http().middlewares().size());
            if (!config.tcp().routers().isEmpty() || !config.udp().routers().isEmpty()) {
                out.printf("  L4: %d TCP routers, %d TCP services, %d UDP routers, %d UDP services%n",
                        config.tcp().routers().size(), config.tcp().services().size(), config.udp().routers().size(),
                        config.udp().services().size());
            }
            out.flush();
            return 0;
        }
        if (config.entryPoints().isEmpty()) {
            err.println("sluice: configuration rejected:\n  entryPoints: none defined; add e.g. [entryPoints.web] address = \":8080\"");
            err.flush();
            return CONFIG_ERROR;
        }
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(config);
        } catch (BindException e) {
            err.println("sluice: cannot listen: " + e.getMessage());
            err.flush();
            return START_ERROR;
        } catch (Exception e) {
            // Anything the configuration could not foresee: unreadable certificates, a bad key, ...
            err.println("sluice: cannot start: " + e);
            err.flush();
            return START_ERROR;
        }
        server.connectors().entrySet().stream().filter(e -> !server.relayEntryPoints().containsKey(e.getKey()))
                .forEach(e -> printf(out, e.getKey(), e.getValue()));
        server.relayEntryPoints().forEach((name, protocol) -> out.printf("sluice: entry point %s (%s) listening on port %d%n",
                name, protocol, server.port(name)));
        out.flush();
        serve(server, config);
        return 0;
    }

    /**
     * Serves until SIGTERM or SIGINT, then stops gracefully (see {@link EmbeddedServer#shutdown()});
     * the configuration files are watched meanwhile, and SIGHUP reloads them at once.
     */
    private void serve(EmbeddedServer server, SluiceConfig config) throws InterruptedException {
        ConfigWatcher watcher = ConfigWatcher.start(configs, config, server::reload);
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Signals.on("HUP", watcher::reloadNow);
        Runnable stop = () -> {
            watcher.close();
            try {
                server.shutdown();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Main.class).warn("stopping failed", e);
            }
            stopped.countDown();
        };
        Signals.on("TERM", stop);
        Signals.on("INT", stop);
        stopped.await();
    }

    private static void printf(PrintWriter out, String name, org.eclipse.jetty.server.ServerConnector connector) {
        out.printf("sluice: entry point %s listening on %s:%d%n",
                name, connector.getHost() == null ? "*" : connector.getHost(), connector.getLocalPort());
    }
}
