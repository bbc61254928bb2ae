package dev.sluice.proxy.config;

import java.time.Duration;

/**
 * {@code [http.services.NAME.loadBalancer.passiveHealthCheck]}: real traffic as the check.
 *
 * @param failureWindow how long a failing server stays out, and the window failures are counted in; default 10s
 * @param maxFailedAttempts consecutive failures that take a server out; default 1
 */
public record PassiveHealthCheckConfig(Duration failureWindow, Integer maxFailedAttempts) {
    public PassiveHealthCheckConfig {
        failureWindow = failureWindow == null ? Duration.ofSeconds(10) : failureWindow;
        maxFailedAttempts = maxFailedAttempts == null ? 1 : maxFailedAttempts;
    }
}
