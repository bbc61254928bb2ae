/**
 * TLS contexts built from the configuration, for every part of Sluice that speaks TLS.
 *
 * <p>Start here: {@link dev.sluice.proxy.tls.ServerTls} terminates TLS for clients (certificates of
 * {@code [tls]} chosen by SNI through {@link dev.sluice.proxy.tls.CertificateStore}, one
 * {@code [tls.options.NAME]}); {@link dev.sluice.proxy.tls.ClientTls} speaks TLS to upstreams (a
 * {@code serversTransport}'s trust, SNI and client certificates); {@link dev.sluice.proxy.tls.HttpsTermination}
 * picks the {@code ServerTls} of an HTTPS entry point's handshake by its SNI (and its ALPN list, and
 * answers whether a request's {@code Host} is misdirected); {@link dev.sluice.proxy.tls.TlsProvider} says
 * whose JSSE (the JDK's, or Conscrypt) makes the contexts. Both hand out plain JDK
 * {@code SSLEngine}s, so the NIO relay and Jetty's client use the same logic.
 */
package dev.sluice.proxy.tls;
