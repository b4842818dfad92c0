package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.ratelimit.RateHeadroom;
import dev.senders.infrastructure.ses.SesGateways;
import dev.senders.sandbox.SesStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ses.SesClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The rates the module enforces, against the SES stub (GetSendQuota over the real SDK). */
class ProviderRatesTest {

    private SesStub stub;
    private SesClient client;
    private ProviderRates rates;

    @BeforeEach
    void start() {
        stub = SesStub.start();
        client = SesGateways.client(stub.endpoint());
        rates = new ProviderRates();
        rates.ses = SesGateways.over(client);
        rates.headroom = new RateHeadroom(0.97, 0.9);
        rates.sesFixed = Optional.empty();
        rates.sesRefresh = Duration.ofMinutes(5);
        rates.resendLimit = 2;
    }

    @AfterEach
    void stop() {
        client.close();
        stub.close();
    }

    @Test
    void threadsThatFindTheQuotaStaleMakeOneCallAndUseWhatItGot() throws Exception {
        rates.sesRefresh = Duration.ofSeconds(1);
        // the first answer is held back, so that every thread finds the quota missing before it comes
        stub.delayNext("GetSendQuota", 1, Duration.ofMillis(500));
        List<Double> seen = askFromThreads(16);
        assertThat(stub.callCount("GetSendQuota")).as("GetSendQuota calls").isEqualTo(1);
        assertThat(seen).hasSize(16).allSatisfy(r -> assertThat(r).isCloseTo(14 * 0.97, offset(1e-9)));

        // stale again: once more, one call, and the new MaxSendRate for everyone
        int before = stub.callCount("GetSendQuota");
        stub.setSendQuota(50_000, 500);
        Thread.sleep(1200);
        stub.delayNext("GetSendQuota", 1, Duration.ofMillis(500));
        seen = askFromThreads(16);
        assertThat(stub.callCount("GetSendQuota") - before).as("GetSendQuota calls after it went stale").isEqualTo(1);
        assertThat(seen).allSatisfy(r -> assertThat(r).isCloseTo(500 * 0.97, offset(1e-9)));
        assertThat(rates.limit(ProviderName.SES)).isEqualTo(500);
    }

    @Test
    void resendIsPacedWithHeadroomAndItsLimitIsReported() {
        assertThat(rates.limit(ProviderName.RESEND)).isEqualTo(2.0);
        assertThat(rates.perSecond(ProviderName.RESEND)).isCloseTo(1.8, offset(1e-9));
        assertThat(stub.callCount("GetSendQuota")).isZero();
    }

    @Test
    void aFixedSesLimitIsNotReadFromSesAndGetsTheHeadroomToo() {
        rates.sesFixed = Optional.of(100.0);
        assertThat(rates.perSecond(ProviderName.SES)).isCloseTo(97.0, offset(1e-9));
        assertThat(stub.callCount("GetSendQuota")).isZero();
    }

    @Test
    void whenSesDoesNotAnswerTheSandboxRateHoldsAndIsNotAskedAgainAtOnce() {
        stub.failNext("GetSendQuota", 1, 403, "InvalidClientTokenId", "The security token is not valid.");
        assertThat(rates.perSecond(ProviderName.SES)).isCloseTo(ProviderRates.SES_FALLBACK_LIMIT * 0.97,
                offset(1e-9));
        assertThat(rates.perSecond(ProviderName.SES)).isCloseTo(ProviderRates.SES_FALLBACK_LIMIT * 0.97,
                offset(1e-9));
        assertThat(stub.callCount("GetSendQuota")).isEqualTo(1);
    }

    private List<Double> askFromThreads(int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Double>> asked = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                asked.add(pool.submit(() -> {
                    go.await();
                    return rates.perSecond(ProviderName.SES);
                }));
            }
            go.countDown();
            List<Double> seen = new ArrayList<>();
            for (Future<Double> f : asked) {
                seen.add(f.get(30, TimeUnit.SECONDS));
            }
            return seen;
        } finally {
            pool.shutdownNow();
        }
    }
}
