package dev.senders.sandbox;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxTest {

    @Test
    void startsBothStubsOnGivenPortsAndReleasesThemOnClose() throws Exception {
        int sesPort;
        int resendPort;
        try (ServerSocket a = new ServerSocket(0, 1, StubServer.LOOPBACK); ServerSocket b = new ServerSocket(0, 1, StubServer.LOOPBACK)) {
            sesPort = a.getLocalPort();
            resendPort = b.getLocalPort();
        }
        HttpClient http = HttpClient.newHttpClient();
        try (Sandbox sandbox = Sandbox.start(sesPort, resendPort, VerificationPolicy.afterDelay(Duration.ZERO))) {
            assertThat(sandbox.ses().endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + sesPort));
            assertThat(sandbox.resend().endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + resendPort));
            assertThat(sandbox.ses().mailViewer()).isEqualTo(URI.create("http://127.0.0.1:" + sesPort + "/_stub/mail"));
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(sandbox.resend().mailViewer()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Nothing has been sent yet.");
            assertThatThrownBy(() -> SesStub.start(sesPort)).isInstanceOf(UncheckedIOException.class);
        }
        try (SesStub again = SesStub.start(sesPort)) {
            assertThat(again.port()).isEqualTo(sesPort);
        }
    }

    @Test
    void defaultSandboxUsesEphemeralPorts() {
        try (Sandbox sandbox = Sandbox.start()) {
            assertThat(sandbox.ses().port()).isPositive().isNotEqualTo(sandbox.resend().port());
        }
    }
}
