package dev.senders.application.sending;

import javax.sql.DataSource;
import java.time.Duration;

/** The module's claims on a test database, as CDI would set them up (a claim's lease of 2 minutes). */
final class TestClaims {

    private TestClaims() {
    }

    static SendClaims on(DataSource dataSource) {
        SendClaims claims = new SendClaims();
        claims.dataSource = dataSource;
        claims.lease = Duration.ofMinutes(2);
        return claims;
    }
}
