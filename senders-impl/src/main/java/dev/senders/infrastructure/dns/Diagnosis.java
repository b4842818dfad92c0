package dev.senders.infrastructure.dns;

/** Why a record is not {@link RecordStatus#FOUND}, as a stable machine code (the advice text is for people). */
public enum Diagnosis {
    /** Nothing published at the name, and not at the usual wrong places either. */
    NOT_FOUND,
    /** Published at {@code <name>.<zone>}: the full name was typed into a panel that appends the zone. */
    ZONE_APPENDED_TWICE,
    /** A DKIM name answers with A/AAAA records instead of its CNAME: Cloudflare's proxy (orange cloud) is on. */
    CLOUDFLARE_PROXIED,
    /** A record of another type sits at the name (e.g. TXT instead of CNAME for DKIM). */
    WRONG_TYPE,
    /** The value was saved with literal quote characters around it (or around its parts). */
    QUOTED_VALUE,
    /** The value also contains the record name ({@code _amazonses.acme.com abc}, {@code _amazonses=abc}). */
    NAME_IN_VALUE,
    /** A CNAME target got the zone appended ({@code x.dkim.amazonses.com.acme.com}: no final dot in a zone file). */
    ZONE_APPENDED_TO_TARGET,
    /** Something else is published at the name. */
    WRONG_VALUE,
    /** More than one {@code v=spf1} TXT record on the domain: SPF permerror at every receiver. */
    MULTIPLE_SPF,
    /** An SPF record exists but does not include Amazon SES. */
    SPF_MISSING_INCLUDE,
    /** No SPF record on the domain. */
    SPF_MISSING,
    /** No DMARC record at {@code _dmarc.<domain>}. */
    DMARC_MISSING,
    /** More than one {@code v=DMARC1} TXT record at {@code _dmarc.<domain>}: receivers ignore DMARC. */
    MULTIPLE_DMARC,
    /** The DMARC record does not parse (RFC 7489): receivers ignore it. */
    DMARC_SYNTAX,
    /** The DNS server did not answer within the timeout. */
    DNS_TIMEOUT,
    /** The DNS server answered with an error (SERVFAIL, REFUSED, ...) or could not be reached. */
    DNS_FAILURE
}
