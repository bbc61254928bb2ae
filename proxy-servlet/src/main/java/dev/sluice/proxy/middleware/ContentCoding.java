package dev.sluice.proxy.middleware;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The content codings {@code compress} can produce. Each makes a streaming encoder whose
 * {@code flush()} emits everything written so far (gzip SYNC_FLUSH, brotli and zstd flush
 * operations), so a flushed event stream reaches the client event by event. Levels are the usual
 * defaults: gzip 6, brotli 5, zstd 3.
 */
enum ContentCoding {
    GZIP("gzip") {
        @Override
        OutputStream encoder(OutputStream out) throws IOException {
            return new GZIPOutputStream(out, 8192, true);
        }
    },
    BROTLI("br") {
        @Override
        OutputStream encoder(OutputStream out) throws IOException {
            return new BrotliOutputStream(out, new Encoder.Parameters().setQuality(5), 16 * 1024);
        }
    },
    ZSTD("zstd") {
        @Override
        OutputStream encoder(OutputStream out) throws IOException {
            return new ZstdOutputStreamNoFinalizer(out, 3);
        }
    };

    final String token;

    ContentCoding(String token) {
        this.token = token;
    }

    abstract OutputStream encoder(OutputStream out) throws IOException;

    static ContentCoding of(String token) {
        for (ContentCoding coding : values()) {
            if (coding.token.equals(token)) {
                return coding;
            }
        }
        throw new IllegalArgumentException("unknown content coding " + token);
    }

    /** Whether brotli's native library loaded on this machine. */
    static boolean brotliAvailable() {
        try {
            return Brotli4jLoader.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }
}
