package dev.senders.application.sending;

import dev.senders.api.sending.SuppressionList;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The suppression list until bounce and complaint events feed one (the SES events issue): nobody is suppressed.
 * A host may provide its own {@link SuppressionList} as a CDI alternative.
 */
@ApplicationScoped
public class NoSuppressions implements SuppressionList {

    @Override
    public boolean isSuppressed(String organizationId, String email) {
        return false;
    }
}
