package dev.senders.infrastructure.unsubscribe;

import java.util.Objects;

/**
 * What checking an unsubscribe token found.
 *
 * @param outcome what it is
 * @param token   what it says, for {@link Outcome#VALID} and {@link Outcome#EXPIRED} (signed by the module); null
 *                otherwise
 */
public record TokenCheck(Outcome outcome, UnsubscribeToken token) {

    public enum Outcome {
        /** Signed by one of the configured secrets, and within its lifetime. */
        VALID,
        /** Not a token at all: wrong shape, not base64url, too long, or unreadable. */
        MALFORMED,
        /** Well formed, but no configured secret signed it (made up, or changed after signing). */
        FORGED,
        /** Signed by the module, but past its last day. */
        EXPIRED,
        /** The module has no secret to check it with ({@code senders.unsubscribe.secrets} is not set). */
        NOT_CONFIGURED
    }

    public TokenCheck {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.VALID || outcome == Outcome.EXPIRED) != (token != null)) {
            throw new IllegalArgumentException("a valid or expired token has its claims, and no other outcome has");
        }
    }

    public boolean valid() {
        return outcome == Outcome.VALID;
    }

    static TokenCheck of(Outcome outcome) {
        return new TokenCheck(outcome, null);
    }
}
