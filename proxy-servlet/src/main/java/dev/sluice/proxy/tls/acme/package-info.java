/**
 * ACME certificate resolvers ({@code [certificatesResolvers.NAME.acme]}) on acme4j: accounts and
 * certificates in Traefik's {@code acme.json}, HTTP-01, TLS-ALPN-01 and DNS-01 (exec script) challenges,
 * renewal ahead of expiry, and an issuance ledger that backs off instead of re-ordering in a loop.
 *
 * <p>Start here: {@link dev.sluice.proxy.tls.acme.AcmeResolvers} (one per Sluice, its background thread),
 * then {@link dev.sluice.proxy.tls.acme.AcmeResolver} ({@code ensure}, {@code certificate}, listeners).
 * The entry points answer challenges from {@link dev.sluice.proxy.tls.acme.Http01Challenges} and
 * {@link dev.sluice.proxy.tls.acme.TlsAlpnChallenges}. No servlet API here.
 */
package dev.sluice.proxy.tls.acme;
