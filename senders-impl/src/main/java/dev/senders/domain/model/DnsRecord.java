package dev.senders.domain.model;

/**
 * A DNS record the organization must (or should) publish.
 *
 * @param type         TXT, CNAME or MX
 * @param name         the fully qualified name, without the trailing dot
 * @param relativeName the name relative to the zone, as Cloudflare and most DNS panels want it typed ("@" for the apex)
 * @param zone         the zone the record belongs in (the registrable domain)
 * @param value        the exact value to publish
 * @param required     whether verification needs it (SPF is recommended only)
 * @param purpose      what it is for, as shown to people
 */
public record DnsRecord(String type, String name, String relativeName, String zone, String value, boolean required,
                        String purpose) {
}
