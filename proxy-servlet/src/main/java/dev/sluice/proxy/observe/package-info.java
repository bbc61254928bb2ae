/**
 * What an operator sees of the proxy: observers of the exchange lifecycle
 * ({@link dev.sluice.proxy.observe.ExchangeObserver}) for metrics, the access log and tracing.
 */
package dev.sluice.proxy.observe;
