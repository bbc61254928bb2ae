package dev.sluice.proxy.transport;

import dev.sluice.proxy.config.ServersTransportConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The TLS side of a {@code serversTransport}: trusted CAs, client certificates, SNI, and what the
 * upstream certificate must name. By default the JVM's trust store and host-name checking apply.
 * With {@code serverName}, SNI carries that name and the certificate must match it instead of the
 * host connected to; {@code peerCertSANs} adds names of which the certificate must carry one.
 */
final class UpstreamTls {
    private static final char[] NO_PASSWORD = "sluice".toCharArray();

    private UpstreamTls() {}

    static SslContextFactory.Client of(ServersTransportConfig config) throws IOException, GeneralSecurityException {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (config.insecureSkipVerify()) {
            tls.setTrustAll(true);
            tls.setEndpointIdentificationAlgorithm(null);
            return withClientCertificates(tls, config);
        }
        if (!config.rootCAs().isEmpty()) {
            KeyStore trust = Pem.emptyStore();
            int n = 0;
            for (String file : config.rootCAs()) {
                for (Certificate ca : Pem.certificates(Path.of(file))) {
                    trust.setCertificateEntry("ca-" + n++, ca);
                }
            }
            tls.setTrustStore(trust);
        }
        List<String> requiredNames = requiredNames(config);
        if (config.serverName() != null && !config.serverName().isBlank()) {
            String serverName = config.serverName();
            tls.setSNIProvider((engine, names) -> List.of(new SNIHostName(serverName)));
            // The JDK would check the certificate against the host connected to; check serverName instead.
            tls.setEndpointIdentificationAlgorithm(null);
            tls.setHostnameVerifier((host, session) -> carriesName(session, "DNS:" + serverName) && matchesAny(session, requiredNames));
        } else if (!requiredNames.isEmpty()) {
            tls.setHostnameVerifier((host, session) -> matchesAny(session, requiredNames));
        }
        return withClientCertificates(tls, config);
    }

    private static SslContextFactory.Client withClientCertificates(SslContextFactory.Client tls, ServersTransportConfig config)
            throws IOException, GeneralSecurityException {
        if (config.certificates().isEmpty()) {
            return tls;
        }
        KeyStore keys = Pem.emptyStore();
        int n = 0;
        for (ServersTransportConfig.Certificate cert : config.certificates()) {
            List<Certificate> chain = Pem.certificates(Path.of(cert.certFile()));
            keys.setKeyEntry("client-" + n++, Pem.privateKey(Path.of(cert.keyFile())), NO_PASSWORD, chain.toArray(Certificate[]::new));
        }
        tls.setKeyStore(keys);
        tls.setKeyStorePassword(new String(NO_PASSWORD));
        return tls;
    }

    /** {@code peerCertSANs} (and the older {@code peerCertURI}) as {@code TYPE:value}. */
    private static List<String> requiredNames(ServersTransportConfig config) {
        List<String> names = new ArrayList<>();
        if (config.peerCertURI() != null && !config.peerCertURI().isBlank()) {
            names.add("URI:" + config.peerCertURI());
        }
        for (ServersTransportConfig.PeerSan san : config.peerCertSANs()) {
            names.add((san.type() != null && san.type().equalsIgnoreCase("URI") ? "URI:" : "DNS:") + san.value());
        }
        return names;
    }

    private static boolean matchesAny(SSLSession session, List<String> required) {
        if (required.isEmpty()) {
            return true;
        }
        for (String name : required) {
            if (carriesName(session, name)) {
                return true;
            }
        }
        return false;
    }

    /** True if the peer's leaf certificate carries {@code name} ({@code DNS:} with wildcards, or {@code URI:}). */
    static boolean carriesName(SSLSession session, String name) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return false;
            }
            return carries(leaf, name);
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            return false;
        }
    }

    static boolean carries(X509Certificate cert, String name) throws CertificateParsingException {
        boolean dns = name.startsWith("DNS:");
        String wanted = name.substring(4);
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        if (sans == null) {
            return false;
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (dns && type == 2 && dnsMatches(value, wanted)) {
                return true;
            }
            if (!dns && type == 6 && value.equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6125: case-insensitive; a leading {@code *.} matches exactly one label. */
    private static boolean dnsMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }
}
