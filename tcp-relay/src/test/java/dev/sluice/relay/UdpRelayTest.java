package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.config.ConfigLoader;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP entry points: per-client sessions to one upstream each, replies relayed back, idle sessions dropped. */
class UdpRelayTest {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Relay relay;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    /** A UDP server answering every datagram with {@code name + ":" + payload}, from its own port. */
    private int udpServer(String name) throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        closeables.add(socket);
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
        closeables.add(socket);
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
        relay = Relay.start(ConfigLoader.parse(toml.toString(), "test.toml"));
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
        Thread.sleep(700); // both sessions outlive their 300ms timeout
        assertEquals("A:3", ask(two, "3"), "an expired session starts over with the next pick");
    }

    @Test
    void aDeadServerMeansNoAnswerAndTheRelayCarriesOn() throws Exception {
        int dead;
        try (DatagramSocket gone = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            dead = gone.getLocalPort();
        }
        start("3s", dead);
        DatagramSocket one = client();
        one.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, () -> ask(one, "anyone?"));
        assertThrows(SocketTimeoutException.class, () -> ask(one, "still there?"));
    }
}
