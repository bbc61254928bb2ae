package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The TCP and UDP examples of Traefik's services documentation in {@code conf/examples/} behave as
 * documented: used as written, with an entry point and a router appended (they show services only),
 * their {@code 127.0.0.1:900N} servers replaced by real ones, and one server appended where an
 * example shows an option without any.
 */
class TcpSeedExamplesTest {
    private static final Path EXAMPLES = Path.of("..", "conf", "examples");
    private static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1:(900\\d)");

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final BlockingQueue<String> proxyHeaders = new ArrayBlockingQueue<>(16);
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

    /** A TCP server named after the port it replaces: it reports a PROXY v1 line if one comes, then greets. */
    private int tcpServer(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closeables.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(200);
                    InputStream in = socket.getInputStream();
                    StringBuilder first = new StringBuilder();
                    try {
                        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                            first.append((char) c);
                        }
                    } catch (IOException quiet) {
                        // the client sent nothing: no header
                    }
                    if (first.toString().startsWith("PROXY ")) {
                        proxyHeaders.add(first.toString().trim());
                    }
                    socket.getOutputStream().write(name.getBytes());
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

    /** Starts example {@code number} behind an entry point "ep" ({@code udp} or tcp) and a router to {@code my-service}. */
    private void start(String number, boolean udp, String extra) throws Exception {
        String example = Files.readString(EXAMPLES.resolve(number + ".toml"));
        String text = example + "\n" + extra + (udp ? """

                [entryPoints.ep]
                address = "127.0.0.1:0/udp"
                [udp.routers.example]
                service = "my-service"
                """ : """

                [entryPoints.ep]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.example]
                rule = "HostSNI(`*`)"
                service = "my-service"
                """);
        Matcher m = ADDRESS.matcher(text);
        StringBuilder rewritten = new StringBuilder();
        while (m.find()) {
            String name = "server" + m.group(1).charAt(3);
            m.appendReplacement(rewritten, "127.0.0.1:" + (udp ? udpServer(name) : tcpServer(name)));
        }
        m.appendTail(rewritten);
        sluice = Sluice.start(rewritten.toString());
    }

    private String tcpGreeting(String send) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("ep"))) {
            socket.setSoTimeout(10_000);
            if (send != null) {
                socket.getOutputStream().write(send.getBytes());
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String udpAnswer(DatagramSocket client) throws IOException {
        client.send(new DatagramPacket(new byte[] {1}, 1, new InetSocketAddress(InetAddress.getLoopbackAddress(), sluice.port("ep"))));
        DatagramPacket reply = new DatagramPacket(new byte[64], 64);
        client.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
    }

    private List<String> tcpRoundRobin(int n) throws IOException {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(tcpGreeting("hello\n"));
        }
        return answers;
    }

    @Test
    void example02TcpServiceWithTwoServersAlternates() throws Exception {
        start("02", false, "");
        assertEquals(List.of("server1", "server2", "server1", "server2"), tcpRoundRobin(4));
    }

    @Test
    void example17TcpServiceWithTwoServersAlternates() throws Exception {
        start("17", false, "");
        assertEquals(List.of("server1", "server2", "server1", "server2"), tcpRoundRobin(4));
    }

    @Test
    void example18TcpServiceWithOneServer() throws Exception {
        start("18", false, "");
        assertEquals(List.of("server1", "server1"), tcpRoundRobin(2));
    }

    @Test
    void example19SendsProxyProtocolV1() throws Exception {
        start("19", false, """
                [[tcp.services.my-service.loadBalancer.servers]]
                address = "127.0.0.1:9001"
                """);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("ep"))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("hello\n".getBytes());
            assertEquals("server1", new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("PROXY TCP4 127.0.0.1 127.0.0.1 " + socket.getLocalPort() + " " + sluice.port("ep"),
                    proxyHeaders.poll(5, TimeUnit.SECONDS));
        }
    }

    private void udpAlternates(String number) throws Exception {
        start(number, true, "");
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                client.setSoTimeout(5_000);
                answers.add(udpAnswer(client));
            }
        }
        assertEquals(List.of("server1", "server2", "server1", "server2"), answers, "one session per client address, round robin");
    }

    @Test
    void example03UdpServiceWithTwoServersAlternates() throws Exception {
        udpAlternates("03");
    }

    @Test
    void example21UdpServiceWithTwoServersAlternates() throws Exception {
        udpAlternates("21");
    }

    @Test
    void example22UdpServiceWithOneServer() throws Exception {
        start("22", true, "");
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(5_000);
            assertEquals("server1", udpAnswer(client));
            assertEquals("server1", udpAnswer(client));
        }
        assertTrue(sluice.server.relayEntryPoints().containsValue("udp"));
    }
}
