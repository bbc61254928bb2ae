package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** entryPoints.NAME.transport.respondingTimeouts.readTimeout and writeTimeout (HTTP/1), as Go's server deadlines. */
class RespondingTimeoutsTest {
    private static Sluice sluice(Backend backend, String timeouts) throws Exception {
        return Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.web.transport.respondingTimeouts]
                %s
                [http.routers.all]
                rule = "PathPrefix(`/`)"
                service = "a"
                [[http.services.a.loadBalancer.servers]]
                url = "%s"
                """.formatted(timeouts, backend.url()));
    }

    @Test
    void anUploadSlowerThanTheReadTimeoutIsCutAndAPromptOneIsNot() throws Exception {
        try (Backend backend = new Backend("A"); Sluice sluice = sluice(backend, "readTimeout = \"1s\"");
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), sluice.port("web"))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                for (int i = 0; i < 60; i++) { // a byte every 100 ms: 6 s for the whole body, if nothing cut it
                    out.write('x');
                    out.flush();
                    Thread.sleep(100); // the slow client under test: pacing, not ordering
                    if (in.available() > 0) {
                        break;
                    }
                }
            } catch (IOException cut) {
                // the connection was closed while writing: that is the point
            }
            byte[] rest = in.readAllBytes(); // whatever came, then the end of the stream
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(tookMillis < 4_000, "cut after about the read timeout, took " + tookMillis + " ms");
            assertTrue(!new String(rest, StandardCharsets.US_ASCII).contains("200 OK"), "no successful answer");
        }
        try (Backend backend = new Backend("A"); Sluice sluice = sluice(backend, "readTimeout = \"1s\"")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sluice.uri("web", "/upload"))
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().startsWith("bytes=5 "), response.body());
        }
    }

    @Test
    void anAnswerLongerThanTheWriteTimeoutIsCut() throws Exception {
        try (Backend backend = new Backend("A"); Sluice sluice = sluice(backend, "writeTimeout = \"1s\"")) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long start = System.nanoTime();
            boolean cut;
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(sluice.uri("web", "/respond?size=10&chunks=6&gapMs=500"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                cut = response.statusCode() != 200;
            } catch (IOException e) {
                cut = true;
            }
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(cut, "a 3 s answer does not complete under a 1 s writeTimeout");
            assertTrue(tookMillis < 2_900, "cut after about the write timeout, took " + tookMillis + " ms");
            assertEquals(200, client.send(HttpRequest.newBuilder(sluice.uri("web", "/quick")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "a quick answer is fine");
        }
    }
}
