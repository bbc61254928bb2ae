package dev.sluice.proxy.observe.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.tls.acme.AcmeEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an ACME resolver's events become: certificate.issued / renewed / failed with domain and resolver. */
class AcmeEventsTest {
    private static final Instant AT = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void issuedRenewedAndFailedMapToCertificateEvents() {
        Event issued = AcmeEvents.of(new AcmeEvent(AcmeEvent.Type.ISSUED, "le", List.of("example.com"), "", AT)).orElseThrow();
        assertEquals(new Event(EventType.CERTIFICATE_ISSUED, AT, "example.com", Map.of("domain", "example.com", "resolver", "le")), issued);

        Event renewed = AcmeEvents.of(new AcmeEvent(AcmeEvent.Type.RENEWED, "le", List.of("a.example", "b.example"), "", AT)).orElseThrow();
        assertEquals(EventType.CERTIFICATE_RENEWED, renewed.type());
        assertEquals("a.example,b.example", renewed.details().get("domains"));

        Event failed = AcmeEvents.of(new AcmeEvent(AcmeEvent.Type.FAILED, "le", List.of("example.com"), "urn:acme:rateLimited", AT))
                .orElseThrow();
        assertEquals(EventType.CERTIFICATE_FAILED, failed.type());
        assertEquals("urn:acme:rateLimited", failed.details().get("error"));
        assertEquals("le", failed.details().get("resolver"));

        Event storage = AcmeEvents.of(new AcmeEvent(AcmeEvent.Type.STORAGE_FAILED, "le", List.of(), "cannot be written", AT)).orElseThrow();
        assertEquals("le", storage.subject(), "no domain: the resolver is the subject");
        assertTrue(AcmeEvents.of(new AcmeEvent(AcmeEvent.Type.ORDERED, "le", List.of("example.com"), "", AT)).isEmpty(),
                "an order is not an event: its outcome is");
    }

    @Test
    void theListenerPublishesOnTheBus() {
        EventBus bus = new EventBus(java.time.Clock.systemUTC());
        List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        bus.subscribe(seen::add);
        AcmeEvents listener = new AcmeEvents(bus);
        listener.event(new AcmeEvent(AcmeEvent.Type.ORDERED, "le", List.of("example.com"), "", AT));
        listener.event(new AcmeEvent(AcmeEvent.Type.ISSUED, "le", List.of("example.com"), "", AT));
        assertEquals(List.of(EventType.CERTIFICATE_ISSUED), seen.stream().map(Event::type).toList());
    }
}
