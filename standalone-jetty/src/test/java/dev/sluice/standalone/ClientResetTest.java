package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.service.Exchange;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that resets its connection mid-answer still ends its exchange, every time. Jetty can
 * close such a connection without calling the servlet's async listeners (a write failing as the
 * answer completes); before {@code ExchangeEnds} about one reset in 10–60 left its exchange open for
 * ever: no access-log line, no metrics, an in-flight slot held.
 */
class ClientResetTest {
    @Test
    void everyExchangeEndsWhenItsClientResetsMidAnswer() throws Exception {
        LinkedBlockingQueue<Exchange.Outcome> ended = new LinkedBlockingQueue<>();
        try (Backend backend = new Backend("a");
                Sluice sluice = Sluice.start("""
                        [entryPoints.web]
                        address = "127.0.0.1:0"
                        [http.routers.app]
                        rule = "PathPrefix(`/`)"
                        service = "app"
                        [http.services.app.loadBalancer]
                        [[http.services.app.loadBalancer.servers]]
                        url = "%s"
                        """.formatted(backend.url()))) {
            sluice.server.runtime().observers().add(e -> ended.add(e.outcome()));
            for (int i = 0; i < 60; i++) {
                // Answers from 64 KiB to ~550 KiB: some fit in the sockets' buffers whole, some do not.
                int size = 64 * 1024 + i * 8 * 1024;
                try (Socket socket = new Socket("127.0.0.1", sluice.port("web"))) {
                    socket.setSoLinger(true, 0); // closing with unread bytes resets the connection
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /respond?size=" + size + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    assertEquals(1024, in.readNBytes(1024).length);
                }
                Exchange.Outcome outcome = ended.poll(10, TimeUnit.SECONDS);
                assertNotNull(outcome, "the exchange of reset #" + i + " (" + size + " bytes) never ended");
                // Whole in the buffers before the reset: proxied; else the client's abort.
                assertTrue(outcome == Exchange.Outcome.CLIENT_ABORTED || outcome == Exchange.Outcome.PROXIED, outcome.toString());
            }
            assertEquals(0, ended.size(), "one end per exchange");
        }
    }
}
