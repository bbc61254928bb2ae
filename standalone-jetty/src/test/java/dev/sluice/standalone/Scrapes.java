package dev.sluice.standalone;

import dev.sluice.proxy.observe.metrics.PrometheusEndpoint;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Test helper: scrapes a metrics endpoint over HTTP with the JDK client and parses the text. */
final class Scrapes implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;
    private final Server server;

    private Scrapes(URI uri, Server server) {
        this.uri = uri;
        this.server = server;
    }

    /** Scrapes {@code uri}. */
    static Scrapes of(URI uri) {
        return new Scrapes(uri, null);
    }

    /** Serves {@code endpoint} at /metrics of a server of its own on 127.0.0.1, and scrapes it. */
    static Scrapes serving(PrometheusEndpoint endpoint) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                endpoint.serve(req, resp);
            }
        }), "/metrics");
        server.setHandler(context);
        server.start();
        return new Scrapes(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/metrics"), server);
    }

    MetricsText scrape() throws Exception {
        return MetricsText.parse(get(null).body());
    }

    HttpResponse<String> get(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("scrape of " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
