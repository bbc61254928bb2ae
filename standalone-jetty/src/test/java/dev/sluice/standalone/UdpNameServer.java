package dev.sluice.standalone;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** A UDP server on 127.0.0.1 that answers every datagram with its name: which upstream a session reached. */
final class UdpNameServer implements AutoCloseable {
    private final DatagramSocket socket;

    UdpNameServer(String name) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        byte[] answer = name.getBytes();
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[1024];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    socket.receive(packet);
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }, "udp-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
