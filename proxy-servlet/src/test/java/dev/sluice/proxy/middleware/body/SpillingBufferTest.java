package dev.sluice.proxy.middleware.body;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpillingBufferTest {
    @Test
    void keepsUpToTheLimitInMemory() throws Exception {
        SpillingBuffer buffer = new SpillingBuffer(100);
        buffer.write(new byte[100], 0, 100);
        buffer.close();
        assertNull(buffer.file());
        assertEquals(100, buffer.size());
    }

    @Test
    void spillsTheRestToATempFileReadBackInOrderAndDeleted() throws Exception {
        byte[] body = new byte[50_000];
        new Random(1).nextBytes(body);
        SpillingBuffer buffer = new SpillingBuffer(1000);
        for (int i = 0; i < body.length; i += 333) {
            buffer.write(body, i, Math.min(333, body.length - i));
        }
        buffer.close();
        Path file = buffer.file();
        assertNotNull(file);
        assertEquals(49_000, Files.size(file), "only what exceeds the memory limit goes to disk");
        try (InputStream in = buffer.open()) {
            assertArrayEquals(body, in.readAllBytes());
        }
        buffer.delete();
        assertFalse(Files.exists(file));
    }

    @Test
    void zeroMemoryMeansEverythingOnDisk() throws Exception {
        SpillingBuffer buffer = new SpillingBuffer(0);
        buffer.write(new byte[] {1, 2, 3}, 0, 3);
        buffer.close();
        assertTrue(Files.size(buffer.file()) == 3);
        buffer.delete();
    }
}
