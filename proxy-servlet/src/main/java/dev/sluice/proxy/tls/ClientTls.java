package dev.sluice.proxy.tls;

import dev.sluice.proxy.config.ServersTransportConfig;
import dev.sluice.proxy.config.UpstreamTlsConfig;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * TLS towards upstreams, for one transport: the trusted CAs ({@code rootCAs}, else the JVM's), the
 * client certificates, the SNI, and what the upstream certificate must name. The HTTP client and
 * the TCP relay share it.
 *
 * <p>Verification: the certificate must chain to a trusted CA and name {@code serverName}, else the
 * host connected to; {@code peerCertURI}/{@code peerCertSANs} add names of which it must carry
 * one. {@code insecureSkipVerify} turns all of that off.
 */
public final class ClientTls {
    private final SSLContext context;
    private final boolean insecure;
    private final String serverName;
    private final List<String> requiredNames;

    private ClientTls(SSLContext context, boolean insecure, String serverName, List<String> requiredNames) {
        this.context = context;
        this.insecure = insecure;
        this.serverName = serverName;
        this.requiredNames = requiredNames;
    }

    public static ClientTls of(UpstreamTlsConfig config) throws IOException, GeneralSecurityException {
        KeyManager[] keys = null;
        if (!config.certificates().isEmpty()) {
            List<CertifiedKey> certs = new ArrayList<>();
            for (ServersTransportConfig.Certificate cert : config.certificates()) {
                certs.add(CertifiedKey.load(cert.certFile(), cert.keyFile()));
            }
            keys = KeyStores.holding(certs);
        }
        TrustManager[] trust = null; // the JVM's
        if (config.insecureSkipVerify()) {
            trust = new TrustManager[] {TrustAll.INSTANCE};
        } else if (!config.rootCAs().isEmpty()) {
            trust = KeyStores.trusting(config.rootCAs());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust, null);
        String serverName = config.serverName() == null || config.serverName().isBlank() ? null : config.serverName();
        return new ClientTls(context, config.insecureSkipVerify(), serverName, requiredNames(config));
    }

    public SSLContext context() {
        return context;
    }

    /** {@code insecureSkipVerify}: nothing about the upstream's certificate is checked. */
    public boolean insecure() {
        return insecure;
    }

    /** {@code serverName}, or null. */
    public String serverName() {
        return serverName;
    }

    /** True if {@code peerCertURI}/{@code peerCertSANs} name certificates the upstream's must be one of. */
    public boolean requiresNames() {
        return !insecure && !requiredNames.isEmpty();
    }

    /**
     * A client engine to {@code host}: SNI is {@code serverName}, else {@code host} if it is a name;
     * unless insecure, the JDK checks the certificate against that same name (RFC 2818 rules).
     * {@link #peerCarriesRequiredNames} remains to be checked once the handshake is done.
     */
    public SSLEngine newEngine(String host, int port) {
        String name = serverName != null ? serverName : host;
        // The peer host given here is what endpoint identification checks the certificate against.
        SSLEngine engine = context.createSSLEngine(name, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        if (!insecure) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(name)) {
            parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** True unless {@code peerCertURI}/{@code peerCertSANs} are set and the peer's certificate carries none of them. */
    public boolean peerCarriesRequiredNames(SSLSession session) {
        if (!requiresNames()) {
            return true;
        }
        for (String name : requiredNames) {
            if (carriesName(session, name)) {
                return true;
            }
        }
        return false;
    }

    /** {@code peerCertSANs} (and the older {@code peerCertURI}) as {@code TYPE:value}. */
    private static List<String> requiredNames(UpstreamTlsConfig config) {
        List<String> names = new ArrayList<>();
        if (config.peerCertURI() != null && !config.peerCertURI().isBlank()) {
            names.add("URI:" + config.peerCertURI());
        }
        for (ServersTransportConfig.PeerSan san : config.peerCertSANs()) {
            names.add((san.type() != null && san.type().equalsIgnoreCase("URI") ? "URI:" : "DNS:") + san.value());
        }
        return List.copyOf(names);
    }

    /** True if the peer's leaf certificate carries {@code name} ({@code DNS:} with wildcards, or {@code URI:}). */
    public static boolean carriesName(SSLSession session, String name) {
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

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
