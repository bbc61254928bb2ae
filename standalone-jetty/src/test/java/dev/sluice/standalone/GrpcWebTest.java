package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.tls.Certs;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code grpcWeb} middleware (and Pingap's {@code grpc-web} name) in front of a grpc-java server:
 * gRPC-Web calls built by hand with the JDK's client, binary and base64 text, over HTTP/1.1 and h2
 * (TLS), trailers read back from the body's {@code 0x80} frame, and CORS preflights.
 */
class GrpcWebTest {
    private static final String ORIGIN = "https://app.example.com";
    private static final String PATH = "/" + GrpcBackend.SERVICE + "/";

    @TempDir
    Path dir;

    private GrpcBackend backend;
    private Sluice sluice;
    private final HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        backend = new GrpcBackend();
    }

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        backend.close();
    }

    private void sluice(String extra) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.web]
                rule = "PathPrefix(`/`)"
                service = "grpc"
                middlewares = ["gw"]
                [http.routers.pingap]
                rule = "PathPrefix(`/pingap/`)"
                service = "grpc"
                middlewares = ["strip", "pg"]
                [http.middlewares.gw.grpcWeb]
                allowOrigins = ["%s"]
                [http.middlewares.pg.grpc-web]
                [http.middlewares.strip.stripPrefix]
                prefixes = ["/pingap"]
                [[http.services.grpc.loadBalancer.servers]]
                url = "h2c://127.0.0.1:%d"
                """.formatted(ORIGIN, backend.port()) + extra);
    }

    /** A gRPC message frame: flag 0, 4-byte length, the message. */
    static byte[] frame(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    static byte[] frame(String message) {
        return frame(message.getBytes(StandardCharsets.UTF_8));
    }

    /** The frames of a gRPC-Web body, in order: flag byte and payload. */
    record Frame(int flag, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static List<Frame> frames(byte[] body) {
        List<Frame> frames = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(body);
        while (buffer.hasRemaining()) {
            int flag = buffer.get() & 0xFF;
            byte[] payload = new byte[buffer.getInt()];
            buffer.get(payload);
            frames.add(new Frame(flag, payload));
        }
        return frames;
    }

    /** Base64 that may be padded anywhere (each 4-character group decoded on its own), as gRPC-Web text allows. */
    static byte[] decodeText(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i += 4) {
            out.writeBytes(Base64.getDecoder().decode(text.substring(i, i + 4)));
        }
        return out.toByteArray();
    }

    private HttpRequest.Builder call(URI uri, String method, String contentType, byte[] body) {
        return HttpRequest.newBuilder(uri.resolve(PATH + method)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).header("X-Grpc-Web", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    @Test
    void binaryUnaryOverHttp11HasItsTrailersInTheLastFrame() throws Exception {
        sluice("");
        HttpResponse<byte[]> response = http1.send(call(sluice.uri("web", "/"), "Unary", "application/grpc-web+proto", frame("hello")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/grpc-web"),
                response.headers().toString());
        List<Frame> frames = frames(response.body());
        assertEquals(2, frames.size(), frames.toString());
        assertEquals(0, frames.get(0).flag());
        assertEquals("hello", frames.get(0).text());
        assertEquals(0x80, frames.get(1).flag());
        assertTrue(frames.get(1).text().contains("grpc-status: 0\r\n"), frames.get(1).text());
    }

    @Test
    void serverStreamingEndingInAnErrorCarriesStatusAndMessageInTheTrailerFrame() throws Exception {
        sluice("");
        HttpResponse<byte[]> response = http1.send(call(sluice.uri("web", "/"), "Split", "application/grpc-web", frame("3,1000,fail")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        List<Frame> frames = frames(response.body());
        assertEquals(4, frames.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(0, frames.get(i).flag());
            assertEquals(1000, frames.get(i).payload().length);
            assertEquals((byte) i, frames.get(i).payload()[0]);
        }
        String trailers = frames.get(3).text();
        assertEquals(0x80, frames.get(3).flag());
        assertTrue(trailers.contains("grpc-status: 10\r\n"), trailers); // ABORTED
        assertTrue(trailers.contains("grpc-message: after 3\r\n"), trailers);
    }

    @Test
    void anErrorWithoutMessagesKeepsItsStatusInTheHeaders() throws Exception {
        sluice("");
        HttpResponse<byte[]> response = http1.send(call(sluice.uri("web", "/"), "Unary", "application/grpc-web",
                frame("status:5:gone ✓")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals("5", response.headers().firstValue("grpc-status").orElse(null));
        assertEquals("gone %E2%9C%93", response.headers().firstValue("grpc-message").orElse(null));
        assertEquals("detail 5", response.headers().firstValue("x-detail").orElse(null));
        assertEquals(0, response.body().length);
    }

    @Test
    void textModeDecodesPaddedChunksAndAnswersInBase64() throws Exception {
        sluice("");
        byte[] message = new byte[1_000_001];
        new Random(15).nextBytes(message);
        byte[] request = frame(message);
        // The 5-byte prefix and the message encoded apart: padding in the middle of the body, as clients may send.
        String body = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(request, 0, 5))
                + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(request, 5, request.length));
        HttpResponse<String> response = http1.send(call(sluice.uri("web", "/"), "Unary", "application/grpc-web-text",
                body.getBytes(StandardCharsets.US_ASCII)).header("Accept", "application/grpc-web-text").build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        assertEquals(200, response.statusCode());
        assertEquals("application/grpc-web-text", response.headers().firstValue("Content-Type").orElse(null));
        List<Frame> frames = frames(decodeText(response.body()));
        assertEquals(2, frames.size());
        assertArrayEquals(message, frames.get(0).payload());
        assertTrue(frames.get(1).text().contains("grpc-status: 0\r\n"));
    }

    @Test
    void pingapsGrpcWebNameWorksTheSame() throws Exception {
        sluice("");
        String body = Base64.getEncoder().encodeToString(frame("pingap"));
        HttpResponse<String> response = http1.send(call(sluice.uri("web", "/pingap/"), "Unary", "application/grpc-web-text+proto",
                body.getBytes(StandardCharsets.US_ASCII)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/grpc-web-text"));
        List<Frame> frames = frames(decodeText(response.body()));
        assertEquals("pingap", frames.get(0).text());
        assertEquals(0x80, frames.get(1).flag());
    }

    @Test
    void corsPreflightForAllowedAndOtherOrigins() throws Exception {
        sluice("");
        HttpResponse<String> allowed = http1.send(preflight(ORIGIN), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, allowed.statusCode());
        assertEquals(ORIGIN, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertEquals("POST", allowed.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
        assertEquals("content-type,x-grpc-web,x-user-agent", allowed.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
        assertEquals("true", allowed.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
        assertEquals("600", allowed.headers().firstValue("Access-Control-Max-Age").orElse(null));

        HttpResponse<String> other = http1.send(preflight("https://evil.example.com"), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, other.statusCode());
        assertNull(other.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        HttpResponse<byte[]> call = http1.send(call(sluice.uri("web", "/"), "Unary", "application/grpc-web", frame("cors"))
                .header("Origin", ORIGIN).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(ORIGIN, call.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(call.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("grpc-status"));
        assertEquals("cors", frames(call.body()).get(0).text());
    }

    private HttpRequest preflight(String origin) {
        return HttpRequest.newBuilder(sluice.uri("web", PATH + "Unary")).timeout(Duration.ofSeconds(30))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-grpc-web,x-user-agent")
                .build();
    }

    @Test
    void overH2WithTls() throws Exception {
        Certs.Issued ca = Certs.ca("gRPC-Web Test CA");
        Certs.Issued leaf = Certs.leaf(ca, "localhost", List.of("dns:localhost", "ip:127.0.0.1"));
        sluice("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(leaf.writeCert(dir.resolve("leaf.pem")), leaf.writeKey(dir.resolve("leaf.key"))));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.cert());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, factory.getTrustManagers(), null);
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
        URI base = URI.create("https://localhost:" + sluice.port("websecure") + "/");
        HttpResponse<byte[]> response = h2.send(call(base, "Split", "application/grpc-web+proto", frame("2,10")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(HttpClient.Version.HTTP_2, response.version());
        assertEquals(200, response.statusCode());
        List<Frame> frames = frames(response.body());
        assertEquals(3, frames.size());
        assertEquals(10, frames.get(1).payload().length);
        assertTrue(frames.get(2).text().contains("grpc-status: 0\r\n"));
    }
}
