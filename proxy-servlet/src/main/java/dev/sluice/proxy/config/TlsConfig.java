package dev.sluice.proxy.config;

import java.util.List;
import java.util.Map;

/**
 * {@code [tls]}: the certificates Sluice serves when it terminates TLS, the store they belong to,
 * and named sets of options.
 *
 * <pre>
 * [[tls.certificates]]
 * certFile = "certs/db.example.com.pem"      # a PEM file, or the PEM text itself
 * keyFile = "certs/db.example.com.key"
 *
 * [tls.stores.default.defaultCertificate]    # served when no certificate names the SNI
 * certFile = "certs/fallback.pem"
 * keyFile = "certs/fallback.key"
 *
 * [tls.options.modern]
 * minVersion = "VersionTLS13"
 * </pre>
 *
 * Without a default certificate Sluice serves a self-signed one made at start ("TRAEFIK DEFAULT CERT",
 * as Traefik). Options {@code default} apply to every router that names none, and exist even when
 * not written.
 *
 * @param certificates the certificates, chosen by the client's SNI (exact name, then wildcard)
 * @param options named TLS options, see {@link TlsOptionsConfig}
 * @param stores certificate stores; only {@code default} exists (as in Traefik)
 */
public record TlsConfig(List<Certificate> certificates, Map<String, TlsOptionsConfig> options, Map<String, Store> stores) {
    /**
     * The certificate and key files {@code [tls]} names (inline PEM left out), which a running
     * Sluice watches with its configuration: a renewed certificate file is served without a restart.
     */
    public java.util.List<java.nio.file.Path> files() {
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();
        java.util.function.Consumer<String> add = file -> {
            if (file != null && !file.isBlank() && !Pem.isInline(file)) {
                files.add(java.nio.file.Path.of(file));
            }
        };
        for (Certificate certificate : certificates) {
            add.accept(certificate.certFile());
            add.accept(certificate.keyFile());
        }
        for (Store store : stores.values()) {
            if (store.defaultCertificate() != null) {
                add.accept(store.defaultCertificate().certFile());
                add.accept(store.defaultCertificate().keyFile());
            }
        }
        return files;
    }

    public static final String DEFAULT = "default";
    static final TlsConfig EMPTY = new TlsConfig(null, null, null);

    public TlsConfig {
        certificates = Frozen.list(certificates);
        options = Frozen.map(options);
        stores = Frozen.map(stores);
    }

    /** The options called {@code name} ({@code default} when null), Traefik's defaults if {@code default} is not written. */
    public TlsOptionsConfig optionsNamed(String name) {
        String wanted = name == null || name.isBlank() ? DEFAULT : name;
        TlsOptionsConfig found = options.get(wanted);
        if (found == null && wanted.equals(DEFAULT)) {
            return TlsOptionsConfig.DEFAULT;
        }
        return found;
    }

    /** The default store's {@code defaultCertificate}, or null. */
    public KeyPairFiles defaultCertificate() {
        Store store = stores.get(DEFAULT);
        return store == null ? null : store.defaultCertificate();
    }

    /**
     * {@code [[tls.certificates]]}.
     *
     * @param certFile the certificate chain, leaf first: a PEM file or the PEM text
     * @param keyFile its private key (PKCS#8, PKCS#1 RSA or SEC1 EC): a PEM file or the PEM text
     * @param stores the stores it is added to; only {@code default} exists
     */
    public record Certificate(String certFile, String keyFile, List<String> stores) {
        public Certificate {
            stores = Frozen.list(stores);
        }

        public KeyPairFiles files() {
            return new KeyPairFiles(certFile, keyFile);
        }
    }

    /**
     * {@code [tls.stores.NAME]}.
     *
     * @param defaultCertificate served when no certificate matches the SNI (or none was sent)
     * @param defaultGeneratedCert an ACME-issued default certificate: not supported (rejected by validation)
     */
    public record Store(KeyPairFiles defaultCertificate, Map<String, Object> defaultGeneratedCert) {}

    /** A certificate (chain) and its private key, each a PEM file or inline PEM text. */
    public record KeyPairFiles(String certFile, String keyFile) {}
}
