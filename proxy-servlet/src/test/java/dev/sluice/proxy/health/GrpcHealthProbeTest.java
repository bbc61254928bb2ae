package dev.sluice.proxy.health;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** {@code HealthCheckResponse} parsing, with gRPC frames built by hand. */
class GrpcHealthProbeTest {

    /** A gRPC frame: compression flag 0, 4-byte big-endian length, then {@code message}. */
    private static byte[] frame(int... message) {
        return declaring(message.length, message);
    }

    /** A frame whose header declares {@code declared} bytes, whatever {@code message} holds. */
    private static byte[] declaring(int declared, int... message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(declared >>> 24);
        out.write(declared >>> 16);
        out.write(declared >>> 8);
        out.write(declared);
        for (int b : message) {
            out.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void servingIsHealthy() {
        assertTrue(GrpcHealthProbe.serving(frame(0x08, 0x01)));
    }

    @Test
    void notServingIsUnhealthy() {
        assertFalse(GrpcHealthProbe.serving(frame(0x08, 0x02)));
        assertFalse(GrpcHealthProbe.serving(frame(0x08, 0x03)), "SERVICE_UNKNOWN");
        assertFalse(GrpcHealthProbe.serving(frame(0x08, 0x00)), "UNKNOWN");
    }

    @Test
    void emptyMessageIsUnknownHenceUnhealthy() {
        assertFalse(GrpcHealthProbe.serving(frame()));
    }

    @Test
    void unknownFieldsBeforeTheStatusAreSkipped() {
        // field 2, length-delimited "ab"; field 3 varint 300; then status SERVING
        assertTrue(GrpcHealthProbe.serving(frame(0x12, 0x02, 'a', 'b', 0x18, 0xAC, 0x02, 0x08, 0x01)));
    }

    @Test
    void truncatedOrMalformedIsUnhealthy() {
        assertFalse(GrpcHealthProbe.serving(null));
        assertFalse(GrpcHealthProbe.serving(new byte[0]));
        assertFalse(GrpcHealthProbe.serving(new byte[] {0, 0, 0}), "frame header cut short");
        assertFalse(GrpcHealthProbe.serving(declaring(2, 0x08)), "status value missing");
        assertFalse(GrpcHealthProbe.serving(declaring(10, 0x08, 0x01)), "message shorter than its declared length");
        assertFalse(GrpcHealthProbe.serving(frame(0x08, 0x81)), "varint cut short");
        assertFalse(GrpcHealthProbe.serving(new byte[] {1, 0, 0, 0, 2, 0x08, 0x01}), "compressed: cannot be read");
        assertFalse(GrpcHealthProbe.serving(declaring(-1, 0x08, 0x01)), "negative length");
        assertFalse(GrpcHealthProbe.serving(frame(0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x08, 0x01)),
                "a length-delimited field longer than the message");
    }
}
