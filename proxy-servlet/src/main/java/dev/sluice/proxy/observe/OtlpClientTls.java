package dev.sluice.proxy.observe;

import dev.sluice.proxy.config.TracingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Traefik's client {@code tls} table of an OTLP exporter (tracing's and metrics'), applied to any of
 * the SDK's exporter builders, which share the three setters but no interface: pass them as method
 * references, e.g. {@code apply(tls, "tracing", b::setSslContext, b::setTrustedCertificates, b::setClientTls)}.
 */
public final class OtlpClientTls {
    private OtlpClientTls() {}

    /**
     * Applies {@code tls} (nothing when null): trust-all, a CA, a client certificate; {@code what} names
     * the section in an unreadable-file error.
     */
    public static void apply(TracingConfig.ClientTls tls, String what, BiConsumer<SSLContext, X509TrustManager> sslContext,
            Consumer<byte[]> trustedCertificates, BiConsumer<byte[], byte[]> clientTls) {
        if (tls == null) {
            return;
        }
        if (tls.insecureSkipVerify()) {
            sslContext.accept(trustAll(), TRUST_ALL);
            return;
        }
        if (tls.ca() != null) {
            trustedCertificates.accept(read(tls.ca(), what));
        }
        if (tls.cert() != null) {
            clientTls.accept(read(tls.key(), what), read(tls.cert(), what));
        }
    }

    private static byte[] read(String file, String what) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": cannot read " + file, e);
        }
    }

    /** {@code insecureSkipVerify}: any certificate passes (for a collector with a self-signed one). */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
