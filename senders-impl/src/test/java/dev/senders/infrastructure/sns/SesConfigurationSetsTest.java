package dev.senders.infrastructure.sns;

import dev.senders.sandbox.SesStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.ConfigurationSetAttribute;
import software.amazon.awssdk.services.ses.model.EventDestination;
import software.amazon.awssdk.services.ses.model.EventType;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the loopback SES stub with the real SDK client. */
class SesConfigurationSetsTest {

    private static final String TOPIC = "arn:aws:sns:ap-southeast-1:123456789012:senders-ses-events";
    private static SesStub stub;
    private static SesClient client;

    @BeforeAll
    static void start() {
        System.setProperty("aws.disableEc2Metadata", "true");
        stub = SesStub.start();
        client = SesClient.builder()
                .endpointOverride(stub.endpoint())
                .region(Region.AP_SOUTHEAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(ApacheHttpClient.builder().build())
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        stub.close();
    }

    private static List<EventDestination> destinations(String name) {
        return client.describeConfigurationSet(r -> r.configurationSetName(name)
                .configurationSetAttributeNames(ConfigurationSetAttribute.EVENT_DESTINATIONS)).eventDestinations();
    }

    @Test
    void createsTheSetWithAnSnsDestinationForTheHandledEvents() {
        String name = "senders-" + UUID.randomUUID().toString().substring(0, 8);
        new SesConfigurationSets(client).ensure(name, TOPIC);
        List<EventDestination> destinations = destinations(name);
        assertThat(destinations).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo(SesConfigurationSets.DESTINATION);
            assertThat(d.enabled()).isTrue();
            assertThat(d.snsDestination().topicARN()).isEqualTo(TOPIC);
            assertThat(d.matchingEventTypes()).containsExactlyInAnyOrder(EventType.BOUNCE, EventType.COMPLAINT,
                    EventType.DELIVERY, EventType.OPEN, EventType.CLICK);
        });
    }

    @Test
    void aRetryOrASecondInstanceMakesNoDuplicate() throws Exception {
        String name = "senders-" + UUID.randomUUID().toString().substring(0, 8);
        SesConfigurationSets sets = new SesConfigurationSets(client);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> sets.ensure(name, TOPIC));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> sets.ensure(name, TOPIC));
        first.get();
        second.get();
        sets.ensure(name, TOPIC);
        assertThat(destinations(name)).hasSize(1);
        assertThat(stub.calls("CreateConfigurationSet")).filteredOn(c -> name.equals(c.param("ConfigurationSet.Name")))
                .filteredOn(c -> c.errorCode() == null).hasSize(1);
        // a set that points elsewhere is left alone (and logged)
        sets.ensure(name, "arn:aws:sns:ap-southeast-1:123456789012:another-topic");
        assertThat(destinations(name)).singleElement()
                .satisfies(d -> assertThat(d.snsDestination().topicARN()).isEqualTo(TOPIC));
    }
}
