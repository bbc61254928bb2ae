/**
 * The circuit breaker's logic, free of servlets: its expression language, the window of recent
 * answers it judges, and its states.
 *
 * <p>Start here: {@link dev.sluice.proxy.middleware.circuitbreaker.Breaker}.
 */
package dev.sluice.proxy.middleware.circuitbreaker;
