package dev.sluice.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code tcp.services.NAME.loadBalancer.strategy} over real sockets: each strategy shows in where the
 * connections land (each backend greets with its letter), and a bad one is a config error at its key.
 */
class TcpStrategyTest extends RelayFixture {
    /** Backends named A, B, C… that greet with their letter and then echo, keeping the connection open. */
    private List<TcpBackend> backends(int n) throws IOException {
        TcpBackend[] backends = new TcpBackend[n];
        for (int i = 0; i < n; i++) {
            backends[i] = closing(TcpBackend.greeting(String.valueOf((char) ('A' + i))));
        }
        return List.of(backends);
    }

    /** One router taking everything to service "svc": {@code strategyLine} (may be empty), then the servers with their weights. */
    private static String config(String strategyLine, List<TcpBackend> servers, int... weights) {
        StringBuilder b = new StringBuilder("""
                [entryPoints.tcp]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.all]
                rule = "HostSNI(`*`)"
                service = "svc"
                [tcp.services.svc.loadBalancer]
                """).append(strategyLine).append('\n');
        for (int i = 0; i < servers.size(); i++) {
            b.append("[[tcp.services.svc.loadBalancer.servers]]\naddress = \"").append(servers.get(i).address()).append("\"\n")
                    .append("weight = ").append(weights.length == 0 ? 1 : weights[i]).append('\n');
        }
        return b.toString();
    }

    private void start(String toml) throws Exception {
        relay = Relay.start(ConfigLoader.parse(toml, "test.toml"), Relay.Settings.DEFAULT);
    }

    /**
     * Opens a connection and returns the letter of the backend it reached. The greeting comes through
     * only once the relay has connected upstream and counted the connection on its server, so the next
     * pick sees it.
     */
    private String connectAndGreet(boolean keepOpen) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), relay.port("tcp"));
        socket.setSoTimeout(10_000);
        closing(socket);
        String letter = TcpRelayTest.readExactly(socket.getInputStream(), 1);
        if (!keepOpen) {
            socket.close();
        }
        return letter;
    }

    private Map<String, Integer> counts(int connections, boolean keepOpen) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < connections; i++) {
            counts.merge(connectAndGreet(keepOpen), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void withoutAStrategyConnectionsFollowTheWeightsInRoundRobin() throws Exception {
        start(config("", backends(2), 5, 1));
        assertEquals(Map.of("A", 5, "B", 1), counts(6, false));
    }

    @Test
    void p2cSendsEachConnectionToTheServerWithFewerOpenWhateverTheWeights() throws Exception {
        // Weighted round-robin would send 7 of these 8 to A; held open, p2c evens them out exactly:
        // with two servers both are always drawn, and the one with fewer connections wins.
        start(config("strategy = \"p2c\"", backends(2), 5, 1));
        assertEquals(Map.of("A", 4, "B", 4), counts(8, true));
    }

    @Test
    void randomSpreadsConnectionsOverEveryServer() throws Exception {
        start(config("strategy = \"random\"", backends(2)));
        Map<String, Integer> counts = counts(60, false);
        // Each server missing out on all 60 has a chance of 2^-60.
        assertEquals(2, counts.size(), counts::toString);
        assertEquals(60, counts.get("A") + counts.get("B"));
    }

    @Test
    void hrwAndHashKeepAClientOnOneServer() throws Exception {
        for (String strategy : List.of("hrw", "hash")) {
            start(config("strategy = \"" + strategy + "\"", backends(3)));
            Map<String, Integer> counts = counts(9, false);
            // Round-robin would give 3 each; hashing the client IP (always 127.0.0.1 here) picks one server.
            assertEquals(1, counts.size(), strategy + ": " + counts);
            assertEquals(9, counts.values().iterator().next(), strategy + ": " + counts);
            relay.close();
            relay = null;
        }
    }

    @Test
    void anUnknownStrategyIsAConfigErrorAtItsKey() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> start(config("strategy = \"p2cc\"", backends(1))));
        assertEquals(List.of("tcp.services.svc.loadBalancer.strategy: unknown strategy \"p2cc\" (did you mean \"p2c\"?);"
                + " known: wrr, random, p2c, hrw, leasttime, hash"), e.problems());
        assertEquals(null, relay, "nothing started");
    }

    @Test
    void leasttimeIsRefusedForConnections() {
        ConfigException e = assertThrows(ConfigException.class, () -> start(config("strategy = \"leasttime\"", backends(1))));
        assertEquals(1, e.problems().size(), e::getMessage);
        assertTrue(e.problems().get(0).startsWith("tcp.services.svc.loadBalancer.strategy: strategy \"leasttime\" times HTTP responses"),
                e::getMessage);
    }
}
