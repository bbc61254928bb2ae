/**
 * Load-balancing strategies over groups of {@link dev.sluice.proxy.balance.Endpoint}s.
 *
 * <p>Start here: {@link dev.sluice.proxy.balance.Strategy} names each strategy as the configuration
 * does and makes a {@link dev.sluice.proxy.balance.Selector} for an immutable group. Nothing here
 * knows about HTTP or servlets, so the TCP relay uses the same strategies.
 */
package dev.sluice.proxy.balance;
