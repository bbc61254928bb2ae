package dev.sluice.proxy.observe.events;

import dev.sluice.proxy.tls.acme.AcmeEvent;
import dev.sluice.proxy.tls.acme.AcmeResolver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ACME resolver's listener that publishes its issuances, renewals and failures as
 * {@code certificate.*} events (orders placed are not events: the outcome follows). Add one to each
 * resolver: {@code resolver.addListener(new AcmeEvents(bus))}.
 */
public final class AcmeEvents implements AcmeResolver.Listener {
    private final EventBus bus;

    public AcmeEvents(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public void certificateChanged(List<String> domains, dev.sluice.proxy.tls.CertifiedKey key) {
        // the certificate.issued and certificate.renewed events come with event()
    }

    @Override
    public void event(AcmeEvent event) {
        of(event).ifPresent(bus::publish);
    }

    /** The event an ACME event becomes, if any. */
    public static Optional<Event> of(AcmeEvent acme) {
        EventType type = switch (acme.type()) {
            case ISSUED -> EventType.CERTIFICATE_ISSUED;
            case RENEWED -> EventType.CERTIFICATE_RENEWED;
            case FAILED, STORAGE_FAILED -> EventType.CERTIFICATE_FAILED;
            case ORDERED -> null;
        };
        if (type == null) {
            return Optional.empty();
        }
        Map<String, String> details = new LinkedHashMap<>();
        String domain = acme.domains().isEmpty() ? "" : acme.domains().get(0);
        details.put("domain", domain);
        if (acme.domains().size() > 1) {
            details.put("domains", String.join(",", acme.domains()));
        }
        details.put("resolver", acme.resolver());
        if (!acme.detail().isEmpty()) {
            details.put("error", acme.detail());
        }
        return Optional.of(new Event(type, acme.at(), domain.isEmpty() ? acme.resolver() : domain, details));
    }
}
