package dev.sluice.relay;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The fixture relay tests share: the relay under test and the upstreams and sockets around it, closed after each test (the relay first). */
abstract class RelayFixture {
    private final List<AutoCloseable> closeables = new ArrayList<>();
    protected Relay relay;

    /** {@code closeable}, closed after the test. */
    protected <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeRelayAndUpstreams() throws Exception {
        if (relay != null) {
            relay.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }
}
