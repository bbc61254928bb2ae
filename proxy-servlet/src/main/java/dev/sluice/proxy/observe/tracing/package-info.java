/**
 * {@code [tracing]}: OpenTelemetry spans of exchanges, exported over OTLP. Start here:
 * {@link dev.sluice.proxy.observe.tracing.ExchangeTracing} (one per Sluice instance, an exchange
 * observer), which gives each exchange a {@link dev.sluice.proxy.observe.tracing.ServerSpan}.
 */
package dev.sluice.proxy.observe.tracing;
