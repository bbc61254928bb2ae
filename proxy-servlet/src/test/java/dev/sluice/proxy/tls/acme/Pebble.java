package dev.sluice.proxy.tls.acme;

import static org.awaitility.Awaitility.await;

import dev.sluice.proxy.config.Pem;
import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Debian's {@code pebble} (a test ACME CA) and {@code pebble-challtestsrv} (its DNS, answering 127.0.0.1
 * for every name) started on loopback for one test class. Pebble's HTTPS certificate is made here (the
 * package ships none); the validation authority connects to {@code httpPort} and {@code tlsPort}, the
 * ports of the test's own challenge servers (or of a Sluice under test). Installs the package when it is missing and we are root.
 */
public final class Pebble implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Path caPem;
    private final SSLContext trust;
    private String directory;
    private int management;

    private Pebble(Path caPem, SSLContext trust) {
        this.caPem = caPem;
        this.trust = trust;
    }

    public static Pebble start(Path dir, int httpPort, int tlsPort) throws Exception {
        installIfMissing();
        Certs.Issued ca = Certs.ca("Sluice test CA for Pebble");
        Certs.Issued leaf = Certs.leaf(ca, "localhost", List.of("dns:localhost", "ip:127.0.0.1"));
        Path caPem = ca.writeCert(dir.resolve("pebble-ca.pem"));
        Path cert = leaf.writeCert(dir.resolve("pebble-cert.pem"));
        Path key = leaf.writeKey(dir.resolve("pebble-key.pem"));
        Pebble pebble = new Pebble(caPem, context(caPem));
        // External processes need their ports up front: taken from the OS, released, then given to them
        // (a port taken meanwhile makes the start fail; it is retried once).
        for (int attempt = 0; ; attempt++) {
            try {
                pebble.launch(dir, cert, key, httpPort, tlsPort);
                return pebble;
            } catch (Exception e) {
                pebble.close();
                if (attempt == 1) {
                    throw e;
                }
            }
        }
    }

    private void launch(Path dir, Path cert, Path key, int httpPort, int tlsPort) throws Exception {
        int dns = freeUdpPort();
        int listen = freeTcpPort();
        management = freeTcpPort();
        int challtestManagement = freeTcpPort();
        processes.add(new ProcessBuilder("pebble-challtestsrv", "-dns01", "127.0.0.1:" + dns, "-http01", "", "-https01", "",
                "-tlsalpn01", "", "-management", "127.0.0.1:" + challtestManagement, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
                .redirectErrorStream(true).redirectOutput(dir.resolve("challtestsrv.log").toFile()).start());
        Path config = Files.writeString(dir.resolve("pebble-config.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(listen, management, cert, key, httpPort, tlsPort));
        ProcessBuilder pb = new ProcessBuilder("pebble", "-config", config.toString(), "-dnsserver", "127.0.0.1:" + dns)
                .redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        pb.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        processes.add(pb.start());
        directory = "https://127.0.0.1:" + listen + "/dir";
        HttpClient client = HttpClient.newBuilder().sslContext(trust).connectTimeout(Duration.ofSeconds(2)).build();
        await("pebble's directory at " + directory).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    if (processes.stream().anyMatch(p -> !p.isAlive())) {
                        throw new IllegalStateException("pebble exited: " + Files.readString(dir.resolve("pebble.log")));
                    }
                    return client.send(HttpRequest.newBuilder(URI.create(directory)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200;
                }, ok -> ok);
    }

    public String directory() {
        return directory;
    }

    /** Trust for Pebble's own HTTPS (its directory), as a {@code caCertificates} file. */
    public Path caPem() {
        return caPem;
    }

    /** The root Pebble issues under now, from its management interface. */
    public X509Certificate root() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
        String pem = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + management + "/roots/0")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Pem.certificates(pem).get(0);
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }

    private static SSLContext context(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", Pem.certificates(caPem.toString()).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static void installIfMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of("/usr/bin/pebble")) && Files.isExecutable(Path.of("/usr/bin/pebble-challtestsrv"))) {
            return;
        }
        // The same step as .ci/run's, for a test run from a developer's shell on a fresh machine.
        Process p = new ProcessBuilder("sh", "-c", "(apt-get -o DPkg::Lock::Timeout=300 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq pebble)"
                + " >/dev/null 2>&1").inheritIO().start();
        if (!p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isExecutable(Path.of("/usr/bin/pebble"))) {
            throw new IllegalStateException("pebble is not installed and apt-get install -y pebble failed (run it as root)");
        }
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
