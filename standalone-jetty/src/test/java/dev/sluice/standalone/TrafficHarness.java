package dev.sluice.standalone;

import dev.sluice.proxy.testing.RefusingPort;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;

/** What the traffic-control middleware tests share: backends, one Sluice, a client, small helpers. */
abstract class TrafficHarness {
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Backend> backends = new ArrayList<>();
    private final List<RefusingPort> refusing = new ArrayList<>();
    Sluice sluice;

    @AfterEach
    void stopAll() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (Backend backend : backends) {
            backend.close();
        }
        refusing.forEach(RefusingPort::close);
    }

    Backend backend(String name) throws Exception {
        Backend backend = new Backend(name);
        backends.add(backend);
        return backend;
    }

    /** Sluice with entry point {@code web}, router {@code r} (everything) through {@code middlewares} to service {@code s}. */
    void start(String middlewares, String rest) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = [%s]
                """.formatted(middlewares) + rest);
    }

    /** Service {@code s}: a load balancer over {@code urls}. */
    static String service(String... urls) {
        StringBuilder s = new StringBuilder("[http.services.s.loadBalancer]\nservers = [");
        for (int i = 0; i < urls.length; i++) {
            s.append(i == 0 ? "" : ", ").append("{url = \"").append(urls[i]).append("\"}");
        }
        return s.append("]\n").toString();
    }

    /** A URL that refuses connections until the test ends (held, so no other server can take the port). */
    String deadUrl() {
        RefusingPort port = new RefusingPort();
        refusing.add(port);
        return port.url();
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(sluice.uri("web", path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status line of a GET sent over a raw socket with the given Host header (which the JDK client will not set). */
    String statusLineWithHost(String path, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\r'; ) {
                line.append((char) c);
            }
            return line.toString();
        }
    }

    static ConditionFactory within(int seconds) {
        return Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(20));
    }
}
