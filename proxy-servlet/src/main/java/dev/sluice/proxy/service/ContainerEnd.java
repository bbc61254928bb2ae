package dev.sluice.proxy.service;

/**
 * The container's own word that a request is over, where the container gives one for certain (the
 * standalone jar's Jetty, see its {@code ExchangeEnds} handler): the exchange ends then if nothing
 * ended it before. Jetty may close a client connection whose write failed (the client reset it
 * mid-answer) without calling the servlet's async listeners, so without this the exchange would
 * never end: no access-log line, no metrics, an in-flight slot held for ever.
 *
 * <p>The container puts one in the request's attributes before the servlet filters run;
 * {@link Exchange#begin} registers with it.
 */
public final class ContainerEnd {
    public static final String ATTRIBUTE = ContainerEnd.class.getName();

    private volatile Exchange exchange;

    void watch(Exchange exchange) {
        this.exchange = exchange;
    }

    /** The container completed the request; {@code failure} non-null when it failed it (the client's connection broke). */
    public void ended(Throwable failure) {
        Exchange watched = exchange;
        if (watched != null) {
            watched.containerEnded(failure);
        }
    }
}
