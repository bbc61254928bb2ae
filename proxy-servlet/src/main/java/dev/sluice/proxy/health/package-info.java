/**
 * Health of upstreams: active checks (HTTP or gRPC) and passive checks from real traffic.
 *
 * <p>Start here: {@link dev.sluice.proxy.health.HealthState} is the health of one server;
 * {@link dev.sluice.proxy.health.ActiveHealthChecker} updates it on a timer. Nothing here imports
 * servlet classes, so the TCP relay can reuse it.
 */
package dev.sluice.proxy.health;
