package dev.sluice.proxy.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * The TLS parts of {@link ConfigValidator}: {@code [tls]}, the {@code tls} of TCP routers, and the
 * upstream TLS of HTTP and TCP transports. Certificates and keys are read and parsed here, so a
 * missing file, bad PEM or a key that does not match its certificate fails the load, with the key path.
 */
final class TlsValidator {
    /** Go's curve names and the RFC ones Traefik also accepts. */
    private static final Set<String> CURVES = Set.of("CurveP256", "CurveP384", "CurveP521", "X25519",
            "secp256r1", "secp384r1", "secp521r1", "x25519");

    private final SluiceConfig config;
    private final Problems problems;

    TlsValidator(SluiceConfig config, Problems problems) {
        this.config = config;
        this.problems = problems;
    }

    void validate() {
        TlsConfig tls = config.tls();
        for (int i = 0; i < tls.certificates().size(); i++) {
            TlsConfig.Certificate cert = tls.certificates().get(i);
            String path = "tls.certificates[" + i + "]";
            keyPair(path, cert.files());
            for (int j = 0; j < cert.stores().size(); j++) {
                if (!cert.stores().get(j).equals(TlsConfig.DEFAULT)) {
                    problems.add(path + ".stores[" + j + "]", "unknown TLS store \"" + cert.stores().get(j) + "\"; only \"default\" exists");
                }
            }
        }
        tls.stores().forEach((name, store) -> {
            String path = "tls.stores." + name;
            if (!name.equals(TlsConfig.DEFAULT)) {
                problems.add(path, "unknown TLS store; only \"default\" exists");
            }
            if (store.defaultCertificate() != null) {
                keyPair(path + ".defaultCertificate", store.defaultCertificate());
            }
            if (store.defaultGeneratedCert() != null) {
                problems.add(path + ".defaultGeneratedCert", "ACME certificates are not supported yet; set defaultCertificate instead");
            }
        });
        tls.options().forEach((name, options) -> options("tls.options." + name, options));
        config.tcp().routers().forEach((name, router) -> router("tcp.routers." + name + ".tls", router.tls()));
        config.http().routers().forEach((name, router) -> {
            if (router.tls() != null) {
                optionsName("http.routers." + name + ".tls.options", router.tls().options());
            }
        });
        // An entry point's unknown TLS options or redirect target are warnings (StaticWarnings), as Traefik
        // logs them: the static part may name what another provider defines.
        config.entryPoints().forEach((name, ep) -> {
            if (ep.http().redirections() != null && ep.http().redirections().entryPoint() != null) {
                redirection("entryPoints." + name + ".http.redirections.entryPoint", name, ep.http().redirections().entryPoint());
            }
        });
    }

    private void optionsName(String path, String options) {
        if (options != null && !options.isBlank() && config.tls().optionsNamed(options) == null) {
            Set<String> known = new java.util.TreeSet<>(config.tls().options().keySet());
            known.add(TlsConfig.DEFAULT);
            problems.add(path, "unknown TLS options \"" + options + "\"" + Suggestions.didYouMean(options, known));
        }
    }

    private void redirection(String path, String from, EntryPointConfig.RedirectEntryPoint redirect) {
        String to = redirect.to();
        if (to == null || to.isBlank()) {
            problems.add(path + ".to", "missing target entry point, e.g. to = \"websecure\"");
        } else if (to.startsWith(":")) {
            try {
                int port = Integer.parseInt(to.substring(1));
                if (port < 1 || port > 65535) {
                    problems.add(path + ".to", "port must be 1 to 65535, got " + port);
                }
            } catch (NumberFormatException e) {
                problems.add(path + ".to", "expected an entry point name or \":port\", got \"" + to + "\"");
            }
        } else if (to.equals(from)) {
            problems.add(path + ".to", "an entry point cannot redirect to itself");
        }
    }

    private void router(String path, TcpRouterConfig.Tls tls) {
        if (tls == null) {
            return;
        }
        if (tls.options() != null && !tls.options().isBlank() && config.tls().optionsNamed(tls.options()) == null) {
            Set<String> known = new java.util.TreeSet<>(config.tls().options().keySet());
            known.add(TlsConfig.DEFAULT);
            problems.add(path + ".options", "unknown TLS options \"" + tls.options() + "\"" + Suggestions.didYouMean(tls.options(), known));
        }
        if (tls.certResolver() != null && !tls.certResolver().isBlank()) {
            problems.add(path + ".certResolver", "ACME certificate resolvers are not supported yet; load the certificate with"
                    + " [[tls.certificates]] certFile/keyFile");
        }
    }

    private void options(String path, TlsOptionsConfig options) {
        List<String> versions = List.copyOf(TlsOptionsConfig.VERSIONS.keySet());
        boolean minKnown = version(path + ".minVersion", options.minVersion(), versions);
        boolean maxKnown = options.maxVersion() == null || version(path + ".maxVersion", options.maxVersion(), versions);
        if (minKnown && maxKnown && options.maxVersion() != null && versions.indexOf(options.maxVersion()) < versions.indexOf(options.minVersion())) {
            problems.add(path + ".maxVersion", options.maxVersion() + " is below minVersion " + options.minVersion());
        }
        Set<String> suites = jdkCipherSuites();
        for (int i = 0; i < options.cipherSuites().size(); i++) {
            String suite = options.cipherSuites().get(i);
            if (!suites.contains(suite)) {
                problems.add(path + ".cipherSuites[" + i + "]", "cipher suite \"" + suite + "\" is unknown to this JVM"
                        + Suggestions.didYouMean(suite, suites));
            }
        }
        for (int i = 0; i < options.curvePreferences().size(); i++) {
            String curve = options.curvePreferences().get(i);
            if (!CURVES.contains(curve)) {
                problems.add(path + ".curvePreferences[" + i + "]", "unknown curve \"" + curve + "\"" + Suggestions.didYouMean(curve, CURVES));
            }
        }
        TlsOptionsConfig.ClientAuth auth = options.clientAuth();
        if (!TlsOptionsConfig.ClientAuth.TYPES.contains(auth.clientAuthType())) {
            problems.add(path + ".clientAuth.clientAuthType", "unknown client auth type \"" + auth.clientAuthType() + "\""
                    + Suggestions.didYouMean(auth.clientAuthType(), TlsOptionsConfig.ClientAuth.TYPES) + "; known: "
                    + String.join(", ", TlsOptionsConfig.ClientAuth.TYPES));
        } else if (auth.verifies() && auth.caFiles().isEmpty()) {
            problems.add(path + ".clientAuth.caFiles", auth.clientAuthType() + " needs the CAs client certificates must chain to,"
                    + " e.g. caFiles = [\"clients-ca.pem\"]");
        }
        for (int i = 0; i < auth.caFiles().size(); i++) {
            certificates(path + ".clientAuth.caFiles[" + i + "]", auth.caFiles().get(i));
        }
        List<String> alpn = options.alpnProtocols() == null ? List.of() : options.alpnProtocols();
        for (int i = 0; i < alpn.size(); i++) {
            if (alpn.get(i).isEmpty() || alpn.get(i).length() > 255) {
                problems.add(path + ".alpnProtocols[" + i + "]", "a protocol name must be 1 to 255 characters");
            }
        }
    }

    private boolean version(String path, String version, List<String> known) {
        if (known.contains(version)) {
            return true;
        }
        problems.add(path, "unknown TLS version \"" + version + "\"" + Suggestions.didYouMean(version, known) + "; known: "
                + String.join(", ", known));
        return false;
    }

    private static Set<String> jdkCipherSuites() {
        try {
            return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no TLS", e);
        }
    }

    /** The TLS towards upstreams; {@code path} ends where its keys start (the HTTP form has them flat). */
    void upstream(String path, UpstreamTlsConfig tls) {
        for (int i = 0; i < tls.rootCAs().size(); i++) {
            certificates(path + "rootCAs[" + i + "]", tls.rootCAs().get(i));
        }
        for (int i = 0; i < tls.certificates().size(); i++) {
            ServersTransportConfig.Certificate cert = tls.certificates().get(i);
            keyPair(path + "certificates[" + i + "]", new TlsConfig.KeyPairFiles(cert.certFile(), cert.keyFile()));
        }
        for (int i = 0; i < tls.peerCertSANs().size(); i++) {
            ServersTransportConfig.PeerSan san = tls.peerCertSANs().get(i);
            if (san.type() != null && !san.type().equalsIgnoreCase("DNSName") && !san.type().equalsIgnoreCase("URI")) {
                problems.add(path + "peerCertSANs[" + i + "].type", "must be DNSName or URI, got \"" + san.type() + "\"");
            }
            if (san.value() == null || san.value().isBlank()) {
                problems.add(path + "peerCertSANs[" + i + "].value", "missing value");
            }
        }
        if (tls.spiffe() != null) {
            problems.add(path + "spiffe", "SPIFFE is not supported; use rootCAs and peerCertSANs");
        }
    }

    /** A certificate and its key: both readable, parsed, and a pair. */
    private void keyPair(String path, TlsConfig.KeyPairFiles files) {
        List<X509Certificate> chain = certificates(path + ".certFile", files.certFile());
        PrivateKey key = null;
        if (readable(path + ".keyFile", files.keyFile())) {
            try {
                key = Pem.privateKey(files.keyFile());
            } catch (IOException | GeneralSecurityException e) {
                problems.add(path + ".keyFile", Pem.describe(files.keyFile()) + ": " + e.getMessage());
            }
        }
        if (chain != null && key != null && !Pem.matches(key, chain.get(0))) {
            problems.add(path + ".keyFile", "the private key does not match the certificate of certFile (" + Pem.describe(files.certFile()) + ")");
        }
    }

    /** The certificates of a file or inline PEM, or null after reporting why there are none. */
    private List<X509Certificate> certificates(String path, String fileOrContent) {
        if (!readable(path, fileOrContent)) {
            return null;
        }
        try {
            return Pem.certificates(fileOrContent);
        } catch (IOException | GeneralSecurityException e) {
            problems.add(path, Pem.describe(fileOrContent) + ": " + e.getMessage());
            return null;
        }
    }

    private boolean readable(String path, String fileOrContent) {
        if (fileOrContent == null || fileOrContent.isBlank()) {
            problems.add(path, "missing file (or inline PEM)");
            return false;
        }
        if (!Pem.isInline(fileOrContent) && !Files.isReadable(Path.of(fileOrContent))) {
            problems.add(path, "cannot read \"" + fileOrContent + "\"");
            return false;
        }
        return true;
    }
}
