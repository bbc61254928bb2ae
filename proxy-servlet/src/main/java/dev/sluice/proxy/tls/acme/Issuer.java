package dev.sluice.proxy.tls.acme;

import dev.sluice.proxy.config.AcmeConfig;
import dev.sluice.proxy.tls.CertifiedKey;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * One resolver's conversation with its CA through acme4j: the account (read from or written to the
 * storage's Traefik form), then for an order the authorizations, the challenge each needs (TLS-ALPN-01,
 * HTTP-01 or DNS-01 by script, in that order of preference among those configured), the CSR and the
 * download. Runs on the resolvers' background thread only; blocks it while the CA validates.
 */
final class Issuer {
    private static final String ACCOUNT_DOES_NOT_EXIST = "urn:ietf:params:acme:error:accountDoesNotExist";

    private final AcmeConfig config;
    private final AcmeResolver.Options options;
    private final Http01Challenges http01;
    private final TlsAlpnChallenges tlsAlpn01;
    private final SSLContext caTrust;
    private Login login;

    Issuer(AcmeConfig config, AcmeResolver.Options options, Http01Challenges http01, TlsAlpnChallenges tlsAlpn01, SSLContext caTrust) {
        this.config = config;
        this.options = options;
        this.http01 = http01;
        this.tlsAlpn01 = tlsAlpn01;
        this.caTrust = caTrust;
    }

    /** Orders, validates and downloads a certificate for {@code domains}; {@code data} gets the account if a new one was made. */
    Issued issue(List<String> domains, AcmeStorage.Data data, java.util.function.Consumer<AcmeStorage.Account> newAccount)
            throws AcmeException, IOException, GeneralSecurityException, InterruptedException {
        Login l = login(data.account(), newAccount);
        Order order = l.newOrder().domains(domains).create();
        for (Authorization auth : order.getAuthorizations()) {
            if (auth.getStatus() != Status.VALID) {
                authorize(auth);
            }
        }
        Duration timeout = options.challengeTimeout();
        KeyPair domainKey = keyPair(config.keyType());
        order.execute(domainKey);
        if (order.waitForCompletion(timeout) != Status.VALID) {
            throw new AcmeException("order " + order.getStatus() + order.getError().map(p -> ": " + p).orElse(""));
        }
        Certificate certificate = order.getCertificate();
        if (config.preferredChain() != null && !config.preferredChain().isBlank()) {
            certificate = certificate.findCertificate(config.preferredChain()).orElse(certificate);
        }
        List<X509Certificate> chain = certificate.getCertificateChain();
        return new Issued(CertifiedKey.of(chain, domainKey.getPrivate()), Pems.certificates(chain), Pems.privateKey(domainKey.getPrivate()));
    }

    /** What an order brought: the key and chain, and their PEM texts for the storage. */
    record Issued(CertifiedKey key, String certificatePem, String keyPem) {}

    private void authorize(Authorization auth) throws AcmeException, InterruptedException, IOException {
        String domain = auth.getIdentifier().getDomain();
        Challenge challenge;
        Runnable cleanup;
        TlsAlpn01Challenge alpn = config.tlsChallenge() != null ? auth.findChallenge(TlsAlpn01Challenge.class).orElse(null) : null;
        Http01Challenge http = config.httpChallenge() != null ? auth.findChallenge(Http01Challenge.class).orElse(null) : null;
        Dns01Challenge dns = config.dnsChallenge() != null ? auth.findChallenge(Dns01Challenge.class).orElse(null) : null;
        if (alpn != null) {
            // acme4j signs the challenge certificate SHA256withRSA.
            KeyPair keys = keyPair("RSA2048");
            X509Certificate cert = alpn.createCertificate(keys, auth.getIdentifier());
            try {
                tlsAlpn01.put(domain, CertifiedKey.of(List.of(cert), keys.getPrivate()));
            } catch (java.security.cert.CertificateParsingException e) {
                throw new AcmeException("challenge certificate: " + e.getMessage());
            }
            challenge = alpn;
            cleanup = () -> tlsAlpn01.remove(domain);
        } else if (http != null) {
            http01.put(http.getToken(), http.getAuthorization());
            challenge = http;
            cleanup = () -> http01.remove(http.getToken());
        } else if (dns != null) {
            String fqdn = Dns01Challenge.toRRName(auth.getIdentifier());
            exec("present", fqdn, dns.getDigest());
            challenge = dns;
            cleanup = () -> {
                try {
                    exec("cleanup", fqdn, dns.getDigest());
                } catch (IOException | InterruptedException e) {
                    // the record stays; the next order writes its own
                }
            };
        } else {
            throw new AcmeException(domain + ": the CA offers no challenge this resolver is configured for");
        }
        try {
            challenge.trigger();
            Status status = challenge.waitForCompletion(options.challengeTimeout());
            if (status != Status.VALID) {
                throw new AcmeException(domain + ": " + challenge.getType() + " challenge " + status
                        + challenge.getError().map(p -> ": " + p.getDetail().orElse(p.toString())).orElse(""));
            }
        } finally {
            cleanup.run();
        }
    }

    /** Traefik's exec provider: {@code $EXEC_PATH present|cleanup FQDN VALUE}, which must exit 0. */
    private void exec(String action, String fqdn, String value) throws IOException, InterruptedException {
        Map<String, String> env = options.environment();
        String script = env.get("EXEC_PATH");
        if (script == null || script.isBlank()) {
            throw new IOException("dnsChallenge provider \"exec\" needs the EXEC_PATH environment variable");
        }
        Process p = new ProcessBuilder(script, action, fqdn, value).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(options.challengeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(script + " " + action + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(script + " " + action + " " + fqdn + ": exit " + p.exitValue());
        }
    }

    private Login login(AcmeStorage.Account stored, java.util.function.Consumer<AcmeStorage.Account> newAccount)
            throws AcmeException, GeneralSecurityException {
        if (login != null) {
            return login;
        }
        Session session = session();
        if (stored != null && stored.uri() != null) {
            KeyPair keys = fromPkcs1(stored.privateKey());
            try {
                login = session.login(new URL(stored.uri()), keys);
                login.getAccount().fetch();
                return login;
            } catch (AcmeServerException e) {
                if (!ACCOUNT_DOES_NOT_EXIST.equals(String.valueOf(e.getType()))) {
                    throw e;
                }
            } catch (java.net.MalformedURLException e) {
                // a stored account without a usable URL: register a new one
            }
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(keys);
        if (config.email() != null && !config.email().isBlank()) {
            builder.addEmail(config.email());
        }
        if (config.eab() != null) {
            builder.withKeyIdentifier(config.eab().kid(), config.eab().hmacEncoded());
        }
        login = builder.createLogin(session);
        newAccount.accept(new AcmeStorage.Account(config.email() == null ? "" : config.email(), login.getAccountLocation().toString(),
                toPkcs1(keys.getPrivate()), traefikKeyType(config.keyType())));
        return login;
    }

    private Session session() {
        SSLContext trust = caTrust;
        Session session = new Session(URI.create(config.caServer()), new GenericAcmeProvider() {
            @Override
            protected HttpConnector createHttpConnector(NetworkSettings settings) {
                return new HttpConnector(settings) {
                    @Override
                    public HttpClient.Builder createClientBuilder() {
                        HttpClient.Builder builder = super.createClientBuilder();
                        return trust == null ? builder : builder.sslContext(trust);
                    }
                };
            }
        });
        session.networkSettings().setTimeout(config.clientTimeout());
        return session;
    }

    /** A new key of Traefik's {@code keyType}. */
    static KeyPair keyPair(String keyType) {
        try {
            return switch (keyType) {
                case "EC384" -> ec("secp384r1");
                case "RSA2048" -> rsa(2048);
                case "RSA4096" -> rsa(4096);
                default -> ec("secp256r1");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a " + keyType + " key", e);
        }
    }

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    /** Traefik's name of a key type in {@code Account.KeyType} (lego's {@code certcrypto.KeyType}). */
    static String traefikKeyType(String keyType) {
        return switch (keyType) {
            case "EC384" -> "P384";
            case "RSA2048" -> "2048";
            case "RSA4096" -> "4096";
            default -> "P256";
        };
    }

    static byte[] toPkcs1(java.security.PrivateKey key) {
        try {
            return PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair fromPkcs1(byte[] der) throws GeneralSecurityException {
        RSAPrivateKey k = RSAPrivateKey.getInstance(der);
        KeyFactory factory = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) factory.generatePrivate(new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(),
                k.getPrivateExponent(), k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(), k.getCoefficient()));
        return new KeyPair(factory.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent())), priv);
    }

    /** Forgets the login (a new session next time), e.g. after the CA lost the account. */
    void reset() {
        login = null;
    }
}
