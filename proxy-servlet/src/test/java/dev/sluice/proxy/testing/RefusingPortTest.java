package dev.sluice.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

/** The fixture does what the tests lean on: refuses at once, and keeps the port from everyone else. */
class RefusingPortTest {
    @Test
    void tcpConnectsAreRefusedAndThePortCannotBeTaken() throws Exception {
        try (RefusingPort down = new RefusingPort(); Socket client = new Socket()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", down.port());
            assertThrows(ConnectException.class, () -> client.connect(address, 5_000));
            try (ServerSocket other = new ServerSocket()) {
                other.setReuseAddress(true); // as Jetty's connectors do
                assertThrows(BindException.class, () -> other.bind(address));
            }
        }
    }

    @Test
    void udpDatagramsAreAnsweredWithPortUnreachable() throws Exception {
        try (RefusingPort down = RefusingPort.udp(); DatagramChannel client = DatagramChannel.open()) {
            client.connect(new InetSocketAddress("127.0.0.1", down.port()));
            client.write(ByteBuffer.wrap(new byte[] {1}));
            client.socket().setSoTimeout(5_000);
            // The ICMP error arrives asynchronously: the blocking receive reports it.
            assertThrows(PortUnreachableException.class, () -> client.socket().receive(new java.net.DatagramPacket(new byte[1], 1)));
            assertEquals("http://127.0.0.1:" + down.port(), down.url());
        }
    }
}
