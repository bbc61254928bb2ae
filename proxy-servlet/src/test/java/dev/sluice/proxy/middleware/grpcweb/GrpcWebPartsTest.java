package dev.sluice.proxy.middleware.grpcweb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.middleware.GrpcWebConfig;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pieces of gRPC-Web translation: content types, text-mode decoding, the trailer frame, and config errors. */
class GrpcWebPartsTest {
    @Test
    void contentTypesMapBothWays() {
        assertEquals(GrpcWebMode.BINARY, GrpcWebMode.of("application/grpc-web"));
        assertEquals(GrpcWebMode.BINARY, GrpcWebMode.of("Application/gRPC-Web+proto"));
        assertEquals(GrpcWebMode.TEXT, GrpcWebMode.of("application/grpc-web-text"));
        assertEquals(GrpcWebMode.TEXT, GrpcWebMode.of("application/grpc-web-text+proto; charset=utf-8"));
        assertNull(GrpcWebMode.of("application/grpc"));
        assertNull(GrpcWebMode.of("application/grpc-webby"));
        assertNull(GrpcWebMode.of(null));
        assertEquals("application/grpc+proto", GrpcWebMode.TEXT.toGrpc("application/grpc-web-text+proto"));
        assertEquals("application/grpc", GrpcWebMode.BINARY.toGrpc("application/grpc-web"));
        assertEquals("application/grpc-web-text+proto", GrpcWebMode.TEXT.toWeb("application/grpc+proto"));
        assertEquals("application/grpc-web", GrpcWebMode.BINARY.toWeb("application/grpc"));
        assertNull(GrpcWebMode.BINARY.toWeb("text/plain"), "Sluice's own error pages are no gRPC");
        assertNull(GrpcWebMode.BINARY.toWeb("application/grpc-web"));
    }

    /** A body from memory: the decoding is what is tested here, not the network. */
    private static ServletInputStream body(String text) {
        ByteArrayInputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, Math.min(len, 3)); // tiny reads: quanta cut across reads
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {}
        };
    }

    private static String decode(String text) throws IOException {
        Base64Input input = new Base64Input(body(text));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[7];
        for (int n; (n = input.read(buffer, 0, buffer.length)) >= 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void textBodiesDecodeWithPaddingAnywhere() throws IOException {
        assertEquals("", decode(""));
        assertEquals("hello", decode("aGVsbG8="));
        assertEquals("a" + "bc" + "def", decode("YQ==" + "YmM=" + "ZGVm"), "each message padded on its own");
        assertEquals("hello", decode("aGVs\r\nbG8="), "line breaks are skipped");
        assertEquals("\u00fb\u00ff", decode("-_8="), "URL-safe alphabet");
        assertEquals("hello", new String(new Base64Input(body("aGVsbG8=")).readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void malformedTextBodiesFailTheRead() {
        for (String bad : List.of("aGV", "a===", "aG=s", "aG*s", "aGVsbG8=x")) {
            assertThrows(IOException.class, () -> decode(bad), bad);
        }
    }

    @Test
    void trailerFrameHasTheFlagALengthAndLowerCaseLines() {
        Map<String, String> trailers = new LinkedHashMap<>();
        trailers.put("Grpc-Status", "0");
        trailers.put("grpc-message", "ok");
        byte[] frame = GrpcWebResponse.frame(trailers);
        byte[] block = "grpc-status: 0\r\ngrpc-message: ok\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals((byte) 0x80, frame[0]);
        assertEquals(block.length, ((frame[1] & 0xFF) << 24) | ((frame[2] & 0xFF) << 16) | ((frame[3] & 0xFF) << 8) | (frame[4] & 0xFF));
        assertArrayEquals(block, java.util.Arrays.copyOfRange(frame, 5, frame.length));
    }

    @Test
    void configDefaultsAndErrors() throws ConfigException {
        String routed = """
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                middlewares = ["m"]
                [http.services.s.loadBalancer]
                servers = [{url = "h2c://127.0.0.1:1"}]
                """;
        GrpcWebConfig pingap = (GrpcWebConfig) ConfigLoader.parse(routed + "[http.middlewares.m.grpc-web]\n", "test.toml")
                .http().middlewares().get("m").options();
        assertEquals(List.of(), pingap.allowOrigins(), "no CORS origin unless listed");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(routed + "[http.middlewares.m.grpcWeb]\nallowOrigins = [\"\"]\n", "test.toml"));
        assertTrue(e.getMessage().contains("http.middlewares.m.grpcWeb.allowOrigins[0]"), e.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(routed + "[http.middlewares.m.grpcWeb]\nallowOrigin = [\"*\"]\n", "test.toml"));
        assertTrue(unknown.getMessage().contains("allowOrigins"), unknown.getMessage());
    }
}
