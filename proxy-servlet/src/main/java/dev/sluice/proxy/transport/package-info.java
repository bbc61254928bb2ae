/**
 * Upstream HTTP clients, one per {@code serversTransport}.
 *
 * <p>Start here: {@link dev.sluice.proxy.transport.UpstreamClients}. Two engines carry requests
 * ({@link dev.sluice.proxy.transport.UpstreamTransport}): Jetty's {@code HttpClient}, and the
 * experimental lean HTTP/1.1 one ({@link dev.sluice.proxy.transport.LeanUpstream}), opt-in with
 * {@code -Dsluice.upstream=lean}.
 */
package dev.sluice.proxy.transport;
