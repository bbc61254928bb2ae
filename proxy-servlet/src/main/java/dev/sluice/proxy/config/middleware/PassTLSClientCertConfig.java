package dev.sluice.proxy.config.middleware;

/**
 * {@code passTLSClientCert}: passes the client's TLS certificate upstream. {@code pem}: the
 * certificates (base64 DER, chain comma-separated) in {@code X-Forwarded-Tls-Client-Cert};
 * {@code info}: the selected fields, URL-escaped, in {@code X-Forwarded-Tls-Client-Cert-Info}.
 * Options and formats are Traefik's.
 */
public record PassTLSClientCertConfig(Boolean pem, Info info) implements MiddlewareOptions {
    public PassTLSClientCertConfig {
        pem = pem != null && pem;
    }

    /** Which fields go in the info header; its presence alone turns the header on. */
    public record Info(Boolean notAfter, Boolean notBefore, Boolean sans, Boolean serialNumber, Subject subject, Issuer issuer) {
        public Info {
            notAfter = notAfter != null && notAfter;
            notBefore = notBefore != null && notBefore;
            sans = sans != null && sans;
            serialNumber = serialNumber != null && serialNumber;
        }
    }

    /** Parts of the subject's distinguished name. */
    public record Subject(Boolean country, Boolean province, Boolean locality, Boolean organization, Boolean organizationalUnit,
            Boolean commonName, Boolean serialNumber, Boolean domainComponent) {
        public Subject {
            country = country != null && country;
            province = province != null && province;
            locality = locality != null && locality;
            organization = organization != null && organization;
            organizationalUnit = organizationalUnit != null && organizationalUnit;
            commonName = commonName != null && commonName;
            serialNumber = serialNumber != null && serialNumber;
            domainComponent = domainComponent != null && domainComponent;
        }
    }

    /** Parts of the issuer's distinguished name (no organizational unit, as in Traefik). */
    public record Issuer(Boolean country, Boolean province, Boolean locality, Boolean organization, Boolean commonName,
            Boolean serialNumber, Boolean domainComponent) {
        public Issuer {
            country = country != null && country;
            province = province != null && province;
            locality = locality != null && locality;
            organization = organization != null && organization;
            commonName = commonName != null && commonName;
            serialNumber = serialNumber != null && serialNumber;
            domainComponent = domainComponent != null && domainComponent;
        }

        /** The same choice as a subject selection, without the organizational unit. */
        public Subject asSubject() {
            return new Subject(country, province, locality, organization, false, commonName, serialNumber, domainComponent);
        }
    }
}
