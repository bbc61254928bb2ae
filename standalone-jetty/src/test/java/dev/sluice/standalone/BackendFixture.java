package dev.sluice.standalone;

import org.junit.jupiter.api.AfterEach;

/** The fixture most middleware tests share: one {@link Backend} and one {@link Sluice}, closed after each test. */
abstract class BackendFixture {
    protected Backend backend;
    protected Sluice sluice;

    @AfterEach
    void closeSluiceAndBackend() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sluice, backend}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }
}
