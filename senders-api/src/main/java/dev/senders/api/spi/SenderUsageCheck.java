package dev.senders.api.spi;

import java.util.Optional;

/**
 * Implemented by the host: tells the module whether a sender address is still in use, for example by an active
 * campaign, before the module removes it. With no implementation present, a sender is never considered in use.
 */
public interface SenderUsageCheck {

    /**
     * @param organizationId the sender's organization
     * @param emailAddress   the sender address, lower-case domain, local part as first typed: compare ignoring case
     *                       ({@code NEWS@acme.io} and {@code news@acme.io} are one sender)
     * @return a human-readable reason when the address is in use (removal is then refused with 409), else empty
     */
    Optional<String> activeUse(String organizationId, String emailAddress);
}
