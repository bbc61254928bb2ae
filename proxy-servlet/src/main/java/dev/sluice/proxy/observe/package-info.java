/**
 * What an operator sees of the proxy: observers of the exchange lifecycle
 * ({@link dev.sluice.proxy.observe.ExchangeObserver}) and of the relay's TCP/UDP sessions
 * ({@link dev.sluice.proxy.observe.SessionObserver}) for metrics, the access log and tracing.
 */
package dev.sluice.proxy.observe;
