package dev.sluice.standalone;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.tls.acme.AcmeResolver;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice train}: a training run for the JVM's start-up caches. It serves a proxy
 * configuration on loopback (an HTTP entry point, a router, a load balancer in front of an origin
 * server in the same process) and drives it for a while with keep-alive HTTP/1.1 GETs, h2c GETs and
 * uploads, then stops and exits. Run under {@code -XX:AOTCacheOutput=FILE} (JDK 25: classes loaded
 * and linked, and the methods' profiles, JEP 483/514/515) or {@code -XX:ArchiveClassesAtExit=FILE}
 * (JDK 17: AppCDS, the classes only), the JVM writes what it learnt when the run exits, and a later
 * start with {@code -XX:AOTCache=FILE} / {@code -XX:SharedArchiveFile=FILE} loads it instead of
 * finding it all out again. {@code bin/sluice train} does both steps; see the README's Performance
 * section. Nothing of this run leaves the process: ports are ephemeral, on 127.0.0.1.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Serve a built-in proxy workload on loopback for a while, then exit: the training run for"
                + " -XX:AOTCacheOutput (JDK 25) or -XX:ArchiveClassesAtExit (JDK 17); bin/sluice train does it for you.")
final class Train implements Callable<Integer> {
    private static final byte[] ONE_KIB = "a".repeat(1024).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UPLOAD = new byte[64 * 1024];

    @Option(names = "--seconds", defaultValue = "20", description = "How long to drive the workload (default ${DEFAULT-VALUE}).")
    int seconds;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Server origin = origin();
        Path dir = Files.createTempDirectory("sluice-train");
        EmbeddedServer proxy = null;
        HttpClient client = null;
        try {
            int originPort = ((ServerConnector) origin.getConnectors()[0]).getLocalPort();
            Path config = dir.resolve("train.toml");
            Files.writeString(config, """
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [http.routers.all]
                    rule = "PathPrefix(`/`)"
                    service = "origin"
                    [http.services.origin.loadBalancer]
                    [[http.services.origin.loadBalancer.servers]]
                    url = "http://127.0.0.1:%d"
                    """.formatted(originPort));
            SluiceConfig loaded = ConfigLoader.load(List.of(config));
            proxy = EmbeddedServer.start(loaded, AcmeResolver.Options.defaults(), TlsProviders.resolve(TlsProviders.AUTO));
            String base = "http://127.0.0.1:" + proxy.port("web");
            client = client();
            Counts counts = drive(client, base, TimeUnit.SECONDS.toNanos(seconds));
            out.printf("sluice train: %d requests in %d s through the proxy (HTTP/1.1 %d, h2c %d, uploads %d)%n",
                    counts.total(), seconds, counts.h1.get(), counts.h2c.get(), counts.uploads.get());
            out.flush();
            if (counts.failure.get() != null) {
                spec.commandLine().getErr().println("sluice train: a request failed: " + counts.failure.get());
                spec.commandLine().getErr().flush();
                return Main.START_ERROR;
            }
            return 0;
        } finally {
            if (client != null) {
                client.stop();
            }
            if (proxy != null) {
                proxy.closeNow();
            }
            origin.stop();
            Files.deleteIfExists(dir.resolve("train.toml"));
            Files.deleteIfExists(dir);
        }
    }

    /** The upstream: answers 1 KiB to a GET, reads and drops a POST's body and answers "ok". */
    private static Server origin() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("train-origin");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (HttpMethod.POST.is(request.getMethod())) {
                    Content.Source.consumeAll(request, Callback.from(
                            () -> response.write(true, ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback),
                            callback::failed));
                } else {
                    response.write(true, ByteBuffer.wrap(ONE_KIB), callback);
                }
                return true;
            }
        });
        server.start();
        return server;
    }

    /** One client for both: HTTP/1.1, and h2c with prior knowledge when a request asks for HTTP/2. */
    private static HttpClient client() throws Exception {
        ClientConnector connector = new ClientConnector();
        HTTP2Client http2 = new HTTP2Client(connector);
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(connector,
                HttpClientConnectionFactory.HTTP11, new ClientConnectionFactoryOverHTTP2.HTTP2(http2)));
        client.setMaxConnectionsPerDestination(16);
        client.start();
        return client;
    }

    private static final class Counts {
        final AtomicLong h1 = new AtomicLong();
        final AtomicLong h2c = new AtomicLong();
        final AtomicLong uploads = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();

        long total() {
            return h1.get() + h2c.get() + uploads.get();
        }
    }

    /** Request loops on a few threads until the deadline (or the first failure): mostly small GETs, as traffic is. */
    private static Counts drive(HttpClient client, String base, long nanos) throws InterruptedException {
        Counts counts = new Counts();
        long deadline = System.nanoTime() + nanos;
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            loops.add(loop(counts, deadline, counts.h1, () -> client.newRequest(base + "/1k").timeout(10, TimeUnit.SECONDS).send()));
        }
        for (int i = 0; i < 3; i++) {
            loops.add(loop(counts, deadline, counts.h2c, () -> client.newRequest(base + "/1k").version(HttpVersion.HTTP_2).timeout(10, TimeUnit.SECONDS).send()));
        }
        loops.add(loop(counts, deadline, counts.uploads, () -> client.newRequest(base + "/upload").method(HttpMethod.POST)
                .body(new BytesRequestContent(UPLOAD)).timeout(10, TimeUnit.SECONDS).send()));
        for (Thread loop : loops) {
            loop.join();
        }
        return counts;
    }

    private interface Exchange {
        ContentResponse send() throws Exception;
    }

    private static Thread loop(Counts counts, long deadline, AtomicLong done, Exchange exchange) {
        Thread thread = new Thread(() -> {
            while (System.nanoTime() < deadline && counts.failure.get() == null) {
                try {
                    ContentResponse response = exchange.send();
                    if (response.getStatus() != 200) {
                        counts.failure.compareAndSet(null, "status " + response.getStatus());
                    }
                    done.incrementAndGet();
                } catch (Exception e) {
                    counts.failure.compareAndSet(null, e.toString());
                }
            }
        }, "train-client");
        thread.start();
        return thread;
    }
}
