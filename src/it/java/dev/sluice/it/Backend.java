package dev.sluice.it;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An upstream application server for the tests: a Jetty core server on 127.0.0.1 that answers a
 * GET with what it received, one {@code key: value} line each — its own name, the raw path and
 * query, {@code Host} and the {@code X-Forwarded-*} headers — and echoes a POST body back.
 */
final class Backend {
    /** The request headers echoed, lower-cased as keys of the reply. */
    static final List<String> ECHOED_HEADERS = List.of("Host", "X-Forwarded-For", "X-Forwarded-Proto",
            "X-Forwarded-Host", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Real-Ip", "Via", "X-Forwarded-Tls-Client-Cert",
            "X-Forwarded-Tls-Client-Cert-Info");

    private final String name;
    /** The path of every request received, in order (hostile-input tests: what reached the upstream). */
    private final List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Server server;
    private final ServerConnector connector;

    private Backend(String name) {
        this.name = name;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("backend-" + name);
        this.server = new Server(threads);
        // Accept any path as received (even ambiguous ones such as //a or %2F) so that tests see
        // exactly what the proxy forwarded, instead of Jetty's 400 for them.
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.UNSAFE);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Echo());
    }

    static Backend start(String name) throws Exception {
        Backend backend = new Backend(name);
        backend.server.start();
        return backend;
    }

    String name() {
        return name;
    }

    int port() {
        return connector.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    void stop() throws Exception {
        server.stop();
    }

    List<String> paths() {
        return List.copyOf(paths);
    }

    private final class Echo extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            response.getHeaders().put("X-Backend", name);
            paths.add(request.getHttpURI().getPath());
            if ("POST".equals(request.getMethod())) {
                ByteBuffer body = Content.Source.asByteBuffer(request);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
                response.write(true, body, callback);
                return true;
            }
            HttpURI uri = request.getHttpURI();
            StringBuilder text = new StringBuilder()
                    .append("backend: ").append(name).append('\n')
                    .append("method: ").append(request.getMethod()).append('\n')
                    .append("path: ").append(uri.getPath()).append('\n') // raw, still percent-encoded
                    .append("query: ").append(uri.getQuery() == null ? "" : uri.getQuery()).append('\n');
            for (String header : ECHOED_HEADERS) {
                List<String> values = request.getHeaders().getValuesList(header);
                if (!values.isEmpty()) {
                    text.append(header.toLowerCase(Locale.ROOT)).append(": ").append(String.join(", ", values)).append('\n');
                }
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            Content.Sink.write(response, true, text.toString(), callback);
            return true;
        }
    }
}
