package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.PassTLSClientCertConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * {@code passTLSClientCert}: tells the upstream which certificate the client presented, from what
 * the container verified (the servlet attribute {@code jakarta.servlet.request.X509Certificate}).
 * Unlike Traefik, a request without a certificate has these headers removed: a client could
 * otherwise send them itself and pass for someone else.
 */
public final class PassTLSClientCert implements Filter {
    static final String CERT = "X-Forwarded-Tls-Client-Cert";
    static final String INFO = "X-Forwarded-Tls-Client-Cert-Info";
    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final PassTLSClientCertConfig options;

    public PassTLSClientCert(PassTLSClientCertConfig options) {
        this.options = options;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!options.pem() && options.info() == null) {
            chain.doFilter(req, res);
            return;
        }
        ModifiedRequest request = ModifiedRequest.of((HttpServletRequest) req);
        X509Certificate[] chainOfCerts = req.getAttribute(CERTIFICATES) instanceof X509Certificate[] certs && certs.length > 0 ? certs : null;
        try {
            if (options.pem()) {
                set(request, CERT, chainOfCerts == null ? null : ClientCertHeaders.pem(chainOfCerts));
            }
            if (options.info() != null) {
                set(request, INFO, chainOfCerts == null ? null : ClientCertHeaders.info(chainOfCerts, options.info()));
            }
        } catch (GeneralSecurityException e) {
            throw new ServletException("client certificate cannot be encoded", e);
        }
        chain.doFilter(request, res);
    }

    private static void set(ModifiedRequest request, String name, String value) {
        if (value == null) {
            request.hideHeader(name);
        } else {
            request.setHeader(name, value);
        }
    }
}
