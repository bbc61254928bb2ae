package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.SessionObserver;

/**
 * The TCP/UDP relay as seen from the servlet side: {@code tcp-relay} implements it and registers
 * it in {@code META-INF/services}, so that the WAR's context listener can start the relay without
 * proxy-servlet depending on tcp-relay (the dependency points the other way).
 */
public interface L4Relay {
    /**
     * Starts serving the TCP and UDP entry points of {@code config} (none at all is fine: a reload may
     * add some), telling {@code sessions} of every connection and UDP session, across reloads.
     */
    Running start(SluiceConfig config, SessionObserver sessions) throws Exception;

    /** A started relay. */
    interface Running extends AutoCloseable {
        /**
         * Prepares serving {@code next} (binds what it adds) without changing traffic yet; returns the
         * switch to it. Throws, with nothing changed, when it cannot.
         */
        Runnable prepare(SluiceConfig next) throws Exception;

        /** Each server of TCP load balancer {@code service}, {@code UP} or {@code DOWN} (the API's serverStatus). */
        default java.util.Map<String, String> serverStatus(String service) {
            return java.util.Map.of();
        }

        @Override
        void close();
    }
}
