package dev.sluice.proxy.transport;

import dev.sluice.proxy.config.ServersTransportConfig;
import dev.sluice.proxy.tls.ClientTls;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The TLS side of a {@code serversTransport} for Jetty's client: the context and the checks of
 * {@link ClientTls}, wired into an {@link SslContextFactory.Client}. By default the JVM's trust store
 * and host-name checking apply. With {@code serverName}, SNI carries that name and the certificate
 * must match it instead of the host connected to; {@code peerCertSANs} adds names of which the
 * certificate must carry one.
 */
final class UpstreamTls {
    private UpstreamTls() {}

    static SslContextFactory.Client of(ServersTransportConfig config) throws IOException, GeneralSecurityException {
        ClientTls shared = ClientTls.of(config.upstreamTls());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setSslContext(shared.context());
        if (shared.insecure()) {
            tls.setTrustAll(true);
            tls.setEndpointIdentificationAlgorithm(null);
            return tls;
        }
        if (shared.serverName() != null) {
            String serverName = shared.serverName();
            tls.setSNIProvider((engine, names) -> List.of(new SNIHostName(serverName)));
            // The JDK would check the certificate against the host connected to; check serverName instead.
            tls.setEndpointIdentificationAlgorithm(null);
            tls.setHostnameVerifier((host, session) -> ClientTls.carriesName(session, "DNS:" + serverName)
                    && shared.peerCarriesRequiredNames(session));
        } else if (shared.requiresNames()) {
            tls.setHostnameVerifier((host, session) -> shared.peerCarriesRequiredNames(session));
        }
        return tls;
    }
}
