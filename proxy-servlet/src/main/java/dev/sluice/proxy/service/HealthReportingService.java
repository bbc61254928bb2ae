package dev.sluice.proxy.service;

/**
 * The common part of services that report health to their parents: a name and a
 * {@link HealthSignal} that subclasses set whenever what they can serve changes.
 */
abstract class HealthReportingService implements HttpService, HealthAware {
    private final String name;
    private final HealthSignal signal = new HealthSignal();

    HealthReportingService(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean isUp() {
        return signal.isUp();
    }

    @Override
    public final void onChange(Runnable listener) {
        signal.onChange(listener);
    }

    /** Sets the reported state; listeners run only on a change. */
    final void report(boolean up) {
        signal.set(up);
    }
}
