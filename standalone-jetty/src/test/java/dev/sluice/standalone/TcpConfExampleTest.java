package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** conf/tcp-udp.toml loads and its routers behave as its comments say. */
class TcpConfExampleTest {
    private static final Path FILE = Path.of("..", "conf", "tcp-udp.toml");
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Sluice sluice;

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** Greets with {@code name}, then with the first line it received (a PROXY header, if one came). */
    private int tcpServer(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(300);
                    StringBuilder first = new StringBuilder();
                    InputStream in = socket.getInputStream();
                    try {
                        byte[] head = in.readNBytes(12);
                        if (head.length == 0) {
                            continue; // a health check's connect
                        }
                        first.append(head[0] == 'P' ? new String(head, StandardCharsets.US_ASCII) : "v2:" + (head.length == 12 && head[0] == 0x0D));
                        if (head[0] == 'P') {
                            for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                                first.append((char) c);
                            }
                        }
                    } catch (IOException quiet) {
                        // nothing sent
                    }
                    try {
                        socket.setSoTimeout(100);
                        while (in.read() >= 0) {
                            // drained: closing with unread bytes would reset the connection, losing the answer
                        }
                    } catch (IOException quiet) {
                        // all read
                    }
                    socket.getOutputStream().write((name + "|" + first.toString().trim()).getBytes());
                } catch (IOException ignored) {
                    // next connection
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    private int udpServer(String name) throws IOException {
        UdpNameServer server = new UdpNameServer(name);
        closeables.add(server);
        return server.port();
    }

    private String exchange(String entryPoint, byte[] send) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port(entryPoint))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(send);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code text} over TLS (trusting any certificate: the example's is self-signed) and reads the answer. */
    private String terminated(String sni, String text) throws Exception {
        SSLContext trustAll = Certs.trustingEverything();
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), sluice.port("tls"));
        plain.setSoTimeout(10_000);
        try (SSLSocket socket = (SSLSocket) trustAll.getSocketFactory().createSocket(plain, sni, plain.getPort(), true)) {
            socket.startHandshake();
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
            assertEquals("CN=example.com", ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName());
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] clientHello(String host, String... alpn) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine(host, 443);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(host)));
        params.setApplicationProtocols(alpn);
        engine.setSSLParameters(params);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void loadsAndRoutesAsAnnotated() throws Exception {
        SluiceConfig checked = ConfigLoader.load(List.of(FILE));
        assertEquals(7, checked.tcp().routers().size());
        String text = Files.readString(FILE).replaceAll("address = \":(\\d+)", "address = \"127.0.0.1:0")
                .replace("\"certs/", "\"../conf/certs/"); // parsed from text, paths are relative to the working directory
        Matcher m = Pattern.compile("127\\.0\\.0\\.1:(900\\d)").matcher(text);
        StringBuilder rewritten = new StringBuilder();
        while (m.find()) {
            String port = m.group(1);
            int real = port.equals("9007") || port.equals("9008") ? udpServer("dns" + port) : tcpServer("s" + port);
            m.appendReplacement(rewritten, "127.0.0.1:" + real);
        }
        m.appendTail(rewritten);
        sluice = Sluice.start(rewritten.toString());

        // postgres: round robin, PROXY v2 from the transport, the office-only allow list lets 127.0.0.1 in.
        assertEquals("s9001|v2:true", exchange("postgres", "x".getBytes()));
        assertEquals("s9002|v2:true", exchange("postgres", "x".getBytes()));
        // tls: SNI api.example.com, a name matching the regexp, ALPN h2 (weighted, 9:1), and plain traffic.
        assertTrue(exchange("tls", clientHello("api.example.com", "http/1.1")).startsWith("s9003|"));
        assertTrue(exchange("tls", clientHello("api-eu.example.com")).startsWith("s9003|"));
        assertTrue(exchange("tls", clientHello("api.example.com", "h2")).startsWith("s9004|"), "ALPN h2 has priority");
        assertTrue(exchange("tls", "plain\n".getBytes()).startsWith("s9003|"));
        // tls, SNI db.example.com: terminated with the example certificate, TLS 1.3 only, plaintext to 9009.
        // (The test server echoes a first line that starts with P, as it does PROXY v1 headers: here, decrypted text.)
        assertEquals("s9009|PLAIN TEXT QUERY", terminated("db.example.com", "PLAIN TEXT QUERY\n"));
        // smtp: PROXY v1 with the client's address.
        String smtp = exchange("smtp", "EHLO x\r\n".getBytes());
        assertTrue(smtp.startsWith("s9006|PROXY TCP4 127.0.0.1 127.0.0.1 "), smtp);
        // dns: UDP, one session per client address.
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(5_000);
            client.send(new DatagramPacket(new byte[] {1}, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), sluice.port("dns"))));
            DatagramPacket reply = new DatagramPacket(new byte[64], 64);
            client.receive(reply);
            assertEquals("dns9007", new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8));
        }
    }
}
