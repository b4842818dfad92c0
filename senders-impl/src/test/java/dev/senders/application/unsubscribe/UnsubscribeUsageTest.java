package dev.senders.application.unsubscribe;

import dev.senders.infrastructure.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** "One-click unsubscribe in use": an organization's own sends of the last days, on a real PostgreSQL. */
class UnsubscribeUsageTest {

    private static TestDatabase db;
    private static UnsubscribeUsage usage;

    @BeforeAll
    static void start() {
        db = TestDatabase.start();
        usage = new UnsubscribeUsage();
        usage.dataSource = db.simple();
        String insert = "insert into senders_sends (organization_id, recipient, from_address, provider, status,"
                + " list_unsubscribe, updated_at) values ";
        db.execute(insert + "('org-a', 'r1@x.org', 'n@acme.com', 'ses', 'sent', true, now()),"
                + " ('org-a', 'r2@x.org', 'n@acme.com', 'resend', 'sent', false, now() - interval '2 days'),"
                + " ('org-a', 'r3@x.org', 'n@acme.com', 'ses', 'sent', true, now() - interval '10 days'),"
                + " ('org-a', 'r4@x.org', 'n@acme.com', 'ses', 'failed', true, now()),"
                + " ('org-a', 'r5@x.org', 'n@acme.com', 'ses', 'suppressed', true, now()),"
                + " ('org-b', 'r6@x.org', 'n@globex.com', 'ses', 'sent', true, now()),"
                + " ('org-c', 'r7@x.org', 'n@initech.com', 'ses', 'sent', false, now())");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void sentMessagesOfTheWindowAndThoseThatCarriedTheLink() {
        assertThat(usage.lastDays("org-a", 7)).isEqualTo(new UnsubscribeUsage.Usage(2, 1));
        assertThat(usage.lastDays("org-a", 30)).isEqualTo(new UnsubscribeUsage.Usage(3, 2));
        assertThat(usage.lastDays("org-a", 1).inUse()).isTrue();
        assertThat(usage.lastDays("org-c", 7)).isEqualTo(new UnsubscribeUsage.Usage(1, 0));
        assertThat(usage.lastDays("org-c", 7).inUse()).isFalse();
        assertThat(usage.lastDays("org-none", 7)).isEqualTo(new UnsubscribeUsage.Usage(0, 0));
        assertThatThrownBy(() -> usage.lastDays("org-a", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
