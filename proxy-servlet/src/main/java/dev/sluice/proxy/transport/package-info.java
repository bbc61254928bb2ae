/**
 * Upstream HTTP clients, one per {@code serversTransport}.
 *
 * <p>Start here: {@link dev.sluice.proxy.transport.UpstreamClients}.
 */
package dev.sluice.proxy.transport;
