package dev.sluice.standalone;

import dev.sluice.proxy.tls.Certs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Test helper: HTTP/1.1 over a real TLS connection to 127.0.0.1, with the SNI, protocol versions and
 * client certificate a test wants, and the certificate the server presented.
 */
final class HttpsClient implements AutoCloseable {
    /** One answer: status line code, the body, and the certificate the connection was served. */
    record Answer(int status, String head, String body, X509Certificate served, String protocol) {}

    private final SSLSocket socket;

    private HttpsClient(SSLSocket socket) {
        this.socket = socket;
    }

    /**
     * Connects and handshakes.
     *
     * @param sni the server name to send; null sends none
     * @param protocols the versions offered ("TLSv1.2"...), or null for the JDK's
     */
    static HttpsClient connect(int port, String sni, SSLContext context, String... protocols) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout(10_000);
        // An IP literal as the peer host makes the JDK send no SNI.
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni == null ? "127.0.0.1" : sni, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        if (protocols.length > 0) {
            parameters.setProtocols(protocols);
        }
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new HttpsClient(socket);
    }

    static HttpsClient connect(int port, String sni) throws Exception {
        return connect(port, sni, Certs.trustingEverything());
    }

    /** A client context presenting {@code client} (any server certificate accepted). */
    static SSLContext withClientCertificate(Certs.Issued client, Certs.Issued ca) throws Exception {
        KeyStore keys = client.keyStore(ca.cert());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, "secret".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        // Any server certificate, as Certs.trustingEverything, with a key of our own.
        context.init(factory.getKeyManagers(), new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** GETs {@code path} with {@code Host: host}, keeping the connection open. */
    Answer get(String host, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Answer(status, head, new String(body, StandardCharsets.UTF_8),
                (X509Certificate) socket.getSession().getPeerCertificates()[0], socket.getSession().getProtocol());
    }

    X509Certificate served() throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    String applicationProtocol() {
        return socket.getApplicationProtocol();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The common name of a certificate's subject. */
    static String cn(X509Certificate cert) {
        String dn = cert.getSubjectX500Principal().getName();
        int at = dn.indexOf("CN=");
        int end = dn.indexOf(',', at);
        return dn.substring(at + 3, end < 0 ? dn.length() : end);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
