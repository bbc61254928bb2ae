package dev.sluice.standalone;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.admin.ExplainRequest;
import dev.sluice.proxy.admin.ExplainText;
import dev.sluice.proxy.admin.RouteExplainer;
import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice explain --config FILE URL [-H 'Name: Value'] [--method M] [--client-ip IP] [--json]}: which
 * router would serve a request, and why the others would not, from the configuration alone (nothing
 * listens, nothing is sent, no health check runs: every server counts as up). A running Sluice
 * answers the same with live health at {@code /api/explain}.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain how a request would be routed: the winning router, every candidate and why it lost, the middlewares,"
                + " the upstream path and the server the balancer would pick.",
        footer = {"", "Example:", "  sluice explain --config conf/http-basics.toml https://api.example.com/v1/users -H 'X-Canary: on'"})
final class Explain implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "Configuration file (TOML, or YAML by extension). Repeat to merge several files.")
    List<Path> configs;

    @Parameters(index = "0", paramLabel = "URL", description = "The request's absolute URL (https:// counts as TLS).")
    String url;

    @Option(names = {"-H", "--header"}, paramLabel = "'Name: Value'", description = "A request header; repeat for more.")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-X", "--method"}, paramLabel = "M", defaultValue = "GET", description = "The request method (default GET).")
    String method;

    @Option(names = "--client-ip", paramLabel = "IP", defaultValue = "127.0.0.1", description = "The client's address (default 127.0.0.1).")
    String clientIp;

    @Option(names = "--entry-point", paramLabel = "NAME", description = "Explain this entry point only (default: those on the URL's port).")
    String entryPoint;

    @Option(names = "--json", description = "Print the API's JSON (as /api/explain answers) instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SluiceConfig config;
        try {
            config = ConfigLoader.load(configs);
        } catch (ConfigException e) {
            err.println("sluice: configuration rejected:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return Main.CONFIG_ERROR;
        }
        ExplainRequest request;
        try {
            request = ExplainRequest.of(method, url, headers, clientIp, entryPoint);
            ObjectNode explained = SluiceRuntime.inspect(config, snapshot -> RouteExplainer.explain(snapshot, request));
            out.print(json ? explained.toPrettyString() + "\n" : ExplainText.render(explained));
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("sluice explain: " + e.getMessage());
            err.flush();
            return Main.CONFIG_ERROR;
        }
    }
}
