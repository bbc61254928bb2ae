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
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code sluice} command: {@code sluice run --config FILE} (the default: {@code sluice --config FILE}
 * is the same) loads the configuration, starts every entry point and serves until stopped;
 * {@code sluice check --config FILE} validates and summarises; {@code sluice version}. The flags of
 * before subcommands keep working ({@code --check}, {@code --version}, {@code --help}).
 * Exit codes: 0 after a clean stop (or a valid check), 2 for a configuration or usage error, 1 when
 * the server cannot start (for instance a port in use).
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = Main.VERSION,
        description = "A reverse proxy and load balancer speaking Traefik's configuration.",
        subcommands = {Main.Run.class, Main.Check.class, Main.Version.class, Explain.class, Train.class},
        footer = {"", "Without a command, runs: sluice --config FILE is sluice run --config FILE.", "", "Example:",
                "  java -jar sluice.jar run --config conf/quickstart.toml"})
public final class Main implements Callable<Integer> {
    static final String VERSION = "Sluice " + dev.sluice.proxy.admin.Versions.SLUICE;
    static final int CONFIG_ERROR = 2;
    static final int START_ERROR = 1;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (TOML, or YAML by extension). Repeat to merge several files.")
    List<Path> configs;

    @Option(names = "--check", description = "Same as the check command: validate the configuration, print a summary and exit.")
    boolean check;

    @CommandLine.Mixin
    TlsProviderOption tls;

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

    /** No command given: run, or check with {@code --check}. */
    @Override
    public Integer call() throws Exception {
        if (configs == null || configs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--config=FILE'");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return check ? check(configs, out, err) : serve(configs, tls.name, out, err);
    }

    /** {@code sluice run}. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Serve the configuration until stopped (the default command).")
    static final class Run implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigFiles files;
        @CommandLine.Mixin
        TlsProviderOption tls;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return serve(files.configs, tls.name, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** {@code sluice check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration, print its warnings and a summary, and exit (2 if it has errors).")
    static final class Check implements Callable<Integer> {
        @CommandLine.Mixin
        ConfigFiles files;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return check(files.configs, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** {@code sluice version}. */
    @Command(name = "version", description = "Print the version and exit.")
    static final class Version implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(VERSION);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** {@code --config FILE}, required, for the commands that read a configuration. */
    static final class ConfigFiles {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
                description = "Configuration file (TOML, or YAML by extension). Repeat to merge several files.")
        List<Path> configs;
    }

    /** {@code --tls-provider}, for the commands that serve. */
    static final class TlsProviderOption {
        @Option(names = "--tls-provider", paramLabel = "auto|jdk|conscrypt", defaultValue = TlsProviders.AUTO,
                description = "Who runs the HTTPS entry points' handshakes: conscrypt (BoringSSL), jdk (also staples OCSP),"
                        + " or auto (default: conscrypt where its native library loads, else jdk).")
        String name;
    }

    /** Loads {@code files}, or prints why not and returns null. */
    private static SluiceConfig load(List<Path> files, PrintWriter err) {
        try {
            return ConfigLoader.load(files);
        } catch (ConfigException e) {
            err.println("sluice: configuration rejected:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return null;
        }
    }

    static int check(List<Path> files, PrintWriter out, PrintWriter err) {
        SluiceConfig config = load(files, err);
        if (config == null) {
            return CONFIG_ERROR;
        }
        config.warnings().forEach(warning -> out.println("warning: " + warning));
        out.println(summary(config));
        out.flush();
        return 0;
    }

    /** One line: entry points, then routers, services and middlewares per protocol. */
    static String summary(SluiceConfig config) {
        return String.format("configuration OK: %d entry points; HTTP: %d routers, %d services, %d middlewares;"
                        + " TCP: %d routers, %d services, %d middlewares; UDP: %d routers, %d services",
                config.entryPoints().size(), config.http().routers().size(), config.http().services().size(),
                config.http().middlewares().size(), config.tcp().routers().size(), config.tcp().services().size(),
                config.tcp().middlewares().size(), config.udp().routers().size(), config.udp().services().size());
    }

    /**
     * {@code sluice run}: loads, applies {@code log.level}, logs the warnings, starts every entry point
     * and serves until stopped.
     */
    static int serve(List<Path> configs, String tlsProvider, PrintWriter out, PrintWriter err) throws InterruptedException {
        SluiceConfig config = load(configs, err);
        if (config == null) {
            return CONFIG_ERROR;
        }
        if (config.entryPoints().isEmpty()) {
            err.println("sluice: configuration rejected:\n  entryPoints: none defined; add e.g. [entryPoints.web] address = \":8080\"");
            err.flush();
            return CONFIG_ERROR;
        }
        // Before the first logger: jetty-slf4j-impl fixes a logger's level when it creates it.
        LogLevels.apply(config.log().level());
        config.warnings().forEach(warning -> LoggerFactory.getLogger(Main.class).warn("{}", warning));
        java.util.function.Supplier<dev.sluice.proxy.tls.TlsProvider> provider;
        try {
            provider = TlsProviders.whenNeeded(tlsProvider);
        } catch (IllegalArgumentException e) {
            err.println("sluice: " + e.getMessage());
            err.flush();
            return CONFIG_ERROR;
        }
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(config, dev.sluice.proxy.tls.acme.AcmeResolver.Options.defaults(), provider);
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
        serve(server, configs, config, out);
        return 0;
    }

    /**
     * Serves until SIGTERM or SIGINT, then stops gracefully (see {@link EmbeddedServer#shutdown()});
     * the configuration files are watched meanwhile, and SIGHUP reloads them at once.
     */
    private static void serve(EmbeddedServer server, List<Path> configs, SluiceConfig config, PrintWriter out)
            throws InterruptedException {
        ConfigWatcher watcher = ConfigWatcher.start(configs, config, server::reload, server.runtime().reloads());
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Signals.on("HUP", watcher::reloadNow);
        Signals.on("USR1", server.runtime().accessLogs()::reopen); // logrotate: lines go to a new file by the same name
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
        // Announced once the signals are handled: whoever waits for these lines may SIGTERM right away.
        server.connectors().entrySet().stream().filter(e -> !server.relayEntryPoints().containsKey(e.getKey()))
                .forEach(e -> printf(out, e.getKey(), e.getValue()));
        server.unixSockets().forEach((name, path) -> out.printf("sluice: entry point %s listening on unix:%s%n", name, path));
        server.relayEntryPoints().forEach((name, protocol) -> out.printf("sluice: entry point %s (%s) listening on port %d%n",
                name, protocol, server.port(name)));
        out.flush();
        stopped.await();
    }

    private static void printf(PrintWriter out, String name, org.eclipse.jetty.server.ServerConnector connector) {
        out.printf("sluice: entry point %s listening on %s:%d%n",
                name, connector.getHost() == null ? "*" : connector.getHost(), connector.getLocalPort());
    }
}
