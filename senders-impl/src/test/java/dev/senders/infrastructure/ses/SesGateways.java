package dev.senders.infrastructure.ses;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;

import java.net.URI;

/** The module's {@link SesGateway} outside a container, over a real SDK client to an SES endpoint (a stub's). */
public final class SesGateways {

    private SesGateways() {
    }

    public static SesClient client(URI endpoint) {
        System.setProperty("aws.disableEc2Metadata", "true");
        return SesClient.builder()
                .endpointOverride(endpoint)
                .region(Region.AP_SOUTHEAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE",
                        "secret")))
                .httpClient(ApacheHttpClient.builder().build())
                .build();
    }

    public static SesGateway over(SesClient client) {
        SesGateway gateway = new SesGateway();
        gateway.ses = client;
        return gateway;
    }
}
