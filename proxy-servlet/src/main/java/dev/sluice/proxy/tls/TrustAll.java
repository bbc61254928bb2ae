package dev.sluice.proxy.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts every certificate: {@code insecureSkipVerify} towards upstreams, and client certificates
 * that are asked for but not verified ({@code RequestClientCert}, {@code RequireAnyClientCert}).
 */
final class TrustAll extends X509ExtendedTrustManager {
    static final TrustAll INSTANCE = new TrustAll();

    private TrustAll() {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // everything is trusted
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // everything is trusted
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // everything is trusted
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // everything is trusted
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // everything is trusted
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // everything is trusted
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
