package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.testing.RefusingPort;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** UDP entry points: per-client sessions to one upstream each, replies relayed back, idle sessions dropped. */
class UdpRelayTest extends RelayFixture {
    /** A UDP server answering every datagram with {@code name + ":" + payload}, from its own port. */
    private int udpServer(String name) throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        closing(socket);
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    byte[] reply = (name + ":" + new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8)).getBytes();
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return socket.getLocalPort();
    }

    private DatagramSocket client() throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(5_000);
        closing(socket);
        return socket;
    }

    private String ask(DatagramSocket client, String payload) throws IOException {
        byte[] bytes = payload.getBytes();
        client.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port("dns"))));
        DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
        client.receive(reply);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
    }

    private void start(String timeout, int... ports) throws Exception {
        start(Relay.Settings.DEFAULT, timeout, ports);
    }

    private void start(Relay.Settings settings, String timeout, int... ports) throws Exception {
        StringBuilder toml = new StringBuilder("""
                [entryPoints.dns]
                address = "127.0.0.1:0/udp"
                [entryPoints.dns.udp]
                timeout = "%s"
                [udp.routers.dns]
                service = "resolvers"
                """.formatted(timeout));
        for (int port : ports) {
            toml.append("[[udp.services.resolvers.loadBalancer.servers]]\naddress = \"127.0.0.1:").append(port).append("\"\n");
        }
        relay = Relay.start(ConfigLoader.parse(toml.toString(), "test.toml"), settings);
    }

    @Test
    void datagramsAreRelayedBothWaysAndAClientKeepsItsServer() throws Exception {
        start("3s", udpServer("A"), udpServer("B"));
        DatagramSocket one = client();
        DatagramSocket two = client();
        assertEquals("A:q1", ask(one, "q1"));
        assertEquals("B:q2", ask(two, "q2"), "a new client address gets the next server");
        assertEquals("A:q3", ask(one, "q3"), "a session sticks to its server");
        assertEquals("B:q4", ask(two, "q4"));
    }

    @Test
    void idleSessionsExpire() throws Exception {
        start("300ms", udpServer("A"), udpServer("B"));
        DatagramSocket one = client();
        DatagramSocket two = client();
        assertEquals("A:1", ask(one, "1"));
        assertEquals("B:2", ask(two, "2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.openSessions("dns") == 0); // both outlived their 300ms timeout
        assertEquals("A:3", ask(two, "3"), "an expired session starts over with the next pick");
    }

    @Test
    void aDeadServerMeansNoAnswerAndTheRelayCarriesOn() throws Exception {
        start("3s", closing(RefusingPort.udp()).port());
        DatagramSocket one = client();
        one.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, () -> ask(one, "anyone?"));
        assertThrows(SocketTimeoutException.class, () -> ask(one, "still there?"));
    }

    /**
     * A DNS-like exchange: 100 clients at once, each asking 5 questions with its own ids; every client
     * gets exactly its own answers, and the sessions spread over the servers in turn.
     */
    @Test
    void manyClientsAtOnceEachGetTheirOwnAnswers() throws Exception {
        start("3s", udpServer("A"), udpServer("B"));
        int clients = 100;
        List<DatagramSocket> sockets = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            sockets.add(client());
        }
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port("dns"));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> servers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                DatagramSocket socket = sockets.get(c);
                String id = "client" + c;
                servers.add(pool.submit(() -> {
                    String server = null;
                    for (int q = 0; q < 5; q++) {
                        String question = id + "/q" + q;
                        String answer = askWithRetry(socket, target, question);
                        assertTrue(answer.endsWith(":" + question), () -> id + " got " + answer);
                        String from = answer.substring(0, answer.indexOf(':'));
                        assertTrue(server == null || server.equals(from), () -> id + " changed server");
                        server = from;
                    }
                    return server;
                }));
            }
            Map<String, Integer> perServer = new HashMap<>();
            for (Future<String> server : servers) {
                perServer.merge(server.get(30, TimeUnit.SECONDS), 1, Integer::sum);
            }
            assertEquals(Map.of("A", 50, "B", 50), perServer, "round robin over sessions");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Like {@link #ask}, but a datagram lost on a loaded machine is asked again (as a resolver would). */
    private static String askWithRetry(DatagramSocket client, InetSocketAddress target, String payload) throws IOException {
        byte[] bytes = payload.getBytes();
        client.setSoTimeout(1_000);
        for (int attempt = 0; ; attempt++) {
            client.send(new DatagramPacket(bytes, bytes.length, target));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            try {
                client.receive(reply);
                return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                if (attempt == 4) {
                    throw e;
                }
            }
        }
    }

    @Test
    void serverWeightsShareTheSessions() throws Exception {
        int a = udpServer("A");
        int b = udpServer("B");
        relay = Relay.start(ConfigLoader.parse("""
                [entryPoints.dns]
                address = "127.0.0.1:0/udp"
                [udp.routers.dns]
                service = "resolvers"
                [[udp.services.resolvers.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                weight = 3
                [[udp.services.resolvers.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                weight = 1
                """.formatted(a, b), "test.toml"));
        assertEquals("AABA AABA", sessionsOrder(8));
    }

    @Test
    void weightedServicesShareTheSessions() throws Exception {
        int a = udpServer("A");
        int b = udpServer("B");
        relay = Relay.start(ConfigLoader.parse("""
                [entryPoints.dns]
                address = "127.0.0.1:0/udp"
                [udp.routers.dns]
                service = "all"
                [[udp.services.all.weighted.services]]
                name = "one"
                weight = 1
                [[udp.services.all.weighted.services]]
                name = "two"
                weight = 3
                [[udp.services.one.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                [[udp.services.two.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                """.formatted(a, b), "test.toml"));
        String order = sessionsOrder(8);
        assertEquals(2, order.chars().filter(c -> c == 'A').count(), order);
        assertEquals(6, order.chars().filter(c -> c == 'B').count(), order);
    }

    /** The server of each of {@code n} new sessions, in order, in groups of four. */
    private String sessionsOrder(int n) throws IOException {
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0 && i % 4 == 0) {
                order.append(' ');
            }
            order.append(ask(client(), "x").charAt(0));
        }
        return order.toString();
    }

    @Test
    void aFullSessionTableDropsNewClientsUntilOneExpires() throws Exception {
        start(new Relay.Settings(32 * 1024, 1_000, 2), "400ms", udpServer("A"));
        DatagramSocket one = client();
        DatagramSocket two = client();
        DatagramSocket three = client();
        three.setSoTimeout(300);
        assertEquals("A:1", ask(one, "1"));
        assertEquals("A:2", ask(two, "2"));
        assertThrows(SocketTimeoutException.class, () -> ask(three, "3"), "a third client finds the table full");
        assertEquals("A:1b", ask(one, "1b"), "the clients already in keep their sessions");
        // Each try waits 300 ms for an answer, so that tries go on until a session has expired
        // (a 5 s wait inside the condition outlasted the await itself when the first try was dropped).
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try {
                return ask(three, "3").equals("A:3");
            } catch (SocketTimeoutException e) {
                return false;
            }
        });
    }
}
