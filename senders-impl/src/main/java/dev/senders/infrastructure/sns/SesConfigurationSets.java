package dev.senders.infrastructure.sns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.ConfigurationSetAttribute;
import software.amazon.awssdk.services.ses.model.EventDestination;
import software.amazon.awssdk.services.ses.model.EventType;
import software.amazon.awssdk.services.ses.model.SesException;

import java.util.List;
import java.util.logging.Logger;

/**
 * An organization's SES configuration set, which makes SES publish the events of every message sent with it to the
 * SNS topic of the webhook. Creating it is idempotent: a set or event destination that exists already (made by an
 * earlier attempt, or by another instance at the same moment) counts as created, so retries never duplicate anything.
 */
@ApplicationScoped
public class SesConfigurationSets {

    private static final Logger LOG = Logger.getLogger(SesConfigurationSets.class.getName());

    /** The event destination's name in each configuration set. */
    public static final String DESTINATION = "senders-sns";

    /** The events the module handles; the others (send, reject, ...) are not published. */
    static final List<EventType> EVENTS = List.of(EventType.BOUNCE, EventType.COMPLAINT, EventType.DELIVERY,
            EventType.OPEN, EventType.CLICK);

    @Inject
    SesClient ses;

    SesConfigurationSets() {
    }

    /** For tests. */
    public SesConfigurationSets(SesClient ses) {
        this.ses = ses;
    }

    /**
     * Makes sure the configuration set exists with an enabled SNS event destination to the topic.
     *
     * @throws SesException or an SDK client exception when SES refuses or cannot be reached (retry later)
     */
    public void ensure(String name, String topicArn) {
        try {
            ses.createConfigurationSet(r -> r.configurationSet(c -> c.name(name)));
            LOG.info(() -> "Senders: SES configuration set " + name + " created");
        } catch (SesException e) {
            if (!"ConfigurationSetAlreadyExists".equals(code(e))) {
                throw e;
            }
        }
        try {
            ses.createConfigurationSetEventDestination(r -> r.configurationSetName(name).eventDestination(d -> d
                    .name(DESTINATION)
                    .enabled(true)
                    .matchingEventTypes(EVENTS)
                    .snsDestination(s -> s.topicARN(topicArn))));
        } catch (SesException e) {
            if (!"EventDestinationAlreadyExists".equals(code(e))) {
                throw e;
            }
            warnIfElsewhere(name, topicArn);
        }
    }

    /** An existing destination is left as it is; say so when it publishes to another topic than configured. */
    private void warnIfElsewhere(String name, String topicArn) {
        List<EventDestination> destinations = ses.describeConfigurationSet(r -> r.configurationSetName(name)
                .configurationSetAttributeNames(ConfigurationSetAttribute.EVENT_DESTINATIONS)).eventDestinations();
        destinations.stream().filter(d -> DESTINATION.equals(d.name())).findFirst()
                .filter(d -> d.snsDestination() == null || !topicArn.equals(d.snsDestination().topicARN()))
                .ifPresent(d -> LOG.warning("Senders: SES configuration set " + name + " publishes its events to "
                        + (d.snsDestination() == null ? "no SNS topic" : d.snsDestination().topicARN())
                        + ", not to senders.sns.event-topic-arn " + topicArn + "; left unchanged"));
    }

    private static String code(SesException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
