package dev.sluice.proxy.tls.acme;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/** {@code caCertificates} with {@code caSystemCertPool}: a CA's server certificate trusted by either. */
final class EitherTrustManager implements X509TrustManager {
    private final X509TrustManager first;
    private final X509TrustManager second;

    EitherTrustManager(X509TrustManager first, X509TrustManager second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a CA's client is never authenticated by certificate");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            first.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            second.checkServerTrusted(chain, authType);
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509Certificate[] a = first.getAcceptedIssuers();
        X509Certificate[] b = second.getAcceptedIssuers();
        X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
