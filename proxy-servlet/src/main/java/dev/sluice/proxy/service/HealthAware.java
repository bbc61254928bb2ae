package dev.sluice.proxy.service;

/**
 * A service whose health its parents can follow ({@code healthCheck {}} on a parent): a load
 * balancer with a health check, or a service of services with {@code healthCheck {}} itself.
 */
public interface HealthAware {
    /** True while at least one way to serve a request is healthy. */
    boolean isUp();

    /** Runs {@code listener} after every change of {@link #isUp()}. */
    void onChange(Runnable listener);
}
