package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.PassTLSClientCertConfig.Info;
import dev.sluice.proxy.config.middleware.PassTLSClientCertConfig.Subject;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The values of Traefik's {@code X-Forwarded-Tls-Client-Cert} and {@code …-Info} headers for a
 * client's certificate chain, in Traefik's formats: certificates joined by {@code ,}; per
 * certificate {@code Subject="C=FR,O=Acme,CN=alice";Issuer="…";SerialNumber="…";NB="…";NA="…";SAN="…"}
 * with only the chosen fields, distinguished-name parts in Go's order (DC, C, ST, L, O, OU, SN, CN),
 * the whole info value escaped as Go's {@code url.QueryEscape} does.
 */
final class ClientCertHeaders {
    private static final Map<String, String> KEYWORDS = Map.of("2.5.4.5", "SERIALNUMBER", "0.9.2342.19200300.100.1.25", "DC");

    private ClientCertHeaders() {}

    /** Each certificate's DER in base64, no PEM armour, no line breaks. */
    static String pem(X509Certificate[] chain) throws CertificateEncodingException {
        List<String> values = new ArrayList<>();
        for (X509Certificate cert : chain) {
            values.add(Base64.getEncoder().encodeToString(cert.getEncoded()));
        }
        return String.join(",", values);
    }

    static String info(X509Certificate[] chain, Info info) throws CertificateParsingException {
        List<String> certs = new ArrayList<>();
        for (X509Certificate cert : chain) {
            List<String> fields = new ArrayList<>();
            field(fields, "Subject", info.subject() == null ? "" : distinguishedName(cert.getSubjectX500Principal(), info.subject()));
            field(fields, "Issuer", info.issuer() == null ? "" : distinguishedName(cert.getIssuerX500Principal(), info.issuer().asSubject()));
            if (info.serialNumber()) {
                field(fields, "SerialNumber", cert.getSerialNumber().toString());
            }
            if (info.notBefore()) {
                fields.add("NB=\"" + cert.getNotBefore().getTime() / 1000 + "\"");
            }
            if (info.notAfter()) {
                fields.add("NA=\"" + cert.getNotAfter().getTime() / 1000 + "\"");
            }
            if (info.sans()) {
                field(fields, "SAN", String.join(",", sans(cert)));
            }
            certs.add(String.join(";", fields));
        }
        return queryEscape(String.join(",", certs));
    }

    private static void field(List<String> fields, String name, String value) {
        if (!value.isEmpty()) {
            fields.add(name + "=\"" + value + "\"");
        }
    }

    static String distinguishedName(X500Principal principal, Subject chosen) {
        List<Rdn> rdns;
        try {
            // RFC 2253 lists the RDNs last first; LdapName puts them back in certificate order.
            rdns = new LdapName(principal.getName(X500Principal.RFC2253, KEYWORDS)).getRdns();
        } catch (InvalidNameException e) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (chosen.domainComponent()) {
            appendAll(out, rdns, "DC", "DC");
        }
        if (chosen.country()) {
            appendAll(out, rdns, "C", "C");
        }
        if (chosen.province()) {
            appendAll(out, rdns, "ST", "ST");
        }
        if (chosen.locality()) {
            appendAll(out, rdns, "L", "L");
        }
        if (chosen.organization()) {
            appendAll(out, rdns, "O", "O");
        }
        if (chosen.organizationalUnit()) {
            appendAll(out, rdns, "OU", "OU");
        }
        if (chosen.serialNumber()) {
            appendLast(out, rdns, "SERIALNUMBER", "SN");
        }
        if (chosen.commonName()) {
            appendLast(out, rdns, "CN", "CN");
        }
        return out.isEmpty() ? "" : out.substring(0, out.length() - 1);
    }

    private static void appendAll(StringBuilder out, List<Rdn> rdns, String type, String label) {
        for (Rdn rdn : rdns) {
            if (rdn.getType().equalsIgnoreCase(type) && rdn.getValue() instanceof String value && !value.isEmpty()) {
                out.append(label).append('=').append(value).append(',');
            }
        }
    }

    /** Go keeps one common name and one serial number: the last in the name. */
    private static void appendLast(StringBuilder out, List<Rdn> rdns, String type, String label) {
        String last = null;
        for (Rdn rdn : rdns) {
            if (rdn.getType().equalsIgnoreCase(type) && rdn.getValue() instanceof String value) {
                last = value;
            }
        }
        if (last != null && !last.isEmpty()) {
            out.append(label).append('=').append(last).append(',');
        }
    }

    /** DNS names, e-mail addresses, IP addresses, URIs: Go's order. */
    private static List<String> sans(X509Certificate cert) throws CertificateParsingException {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        List<String> out = new ArrayList<>();
        if (names == null) {
            return out;
        }
        for (int type : new int[] {2, 1, 7, 6}) { // dNSName, rfc822Name, iPAddress, uniformResourceIdentifier
            for (List<?> name : names) {
                if (((Integer) name.get(0)) == type && name.get(1) instanceof String value) {
                    out.add(type == 7 ? shortIpv6(value) : value);
                }
            }
        }
        return out;
    }

    /** Java writes IPv6 SANs in full ({@code 0:0:0:0:0:0:0:1}); Go shortens the longest run of zero groups ({@code ::1}). */
    static String shortIpv6(String ip) {
        String[] groups = ip.split(":", -1);
        if (groups.length != 8) {
            return ip;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group stays "0"
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && Integer.parseInt(groups[j], 16) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(Integer.parseInt(groups[i], 16)));
        }
        return out.toString();
    }

    /** Go's {@code url.QueryEscape}: letters, digits and {@code -_.~} kept, space as {@code +}, the rest {@code %XX}. */
    static String queryEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() * 2);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
