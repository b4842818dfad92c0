package dev.senders.infrastructure.dns;

import dev.senders.domain.model.DnsRecord;
import dev.senders.domain.model.DnsRecords;
import dev.senders.domain.model.Sender;
import dev.senders.sandbox.Sandbox;
import dev.senders.sandbox.SesStub;
import dev.senders.sandbox.VerificationPolicy;
import dev.senders.sandbox.dns.LoopbackZones;
import dev.senders.sandbox.dns.Publication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's loopback DNS zone (the demo's live DNS) asked by the module's own {@link DnsRecordChecker} over the
 * wire, with the records the module's {@link DnsRecords} shows: nothing before the SES stub verifies a domain, every
 * record found after, and each mistake the control page publishes diagnosed as the Senders page would show it.
 */
class SandboxDnsZoneTest {

    static final String DOMAIN = "demo-shop.test";
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    Sandbox sandbox;
    DnsRecordChecker checker;
    List<DnsRecord> records;

    @BeforeEach
    void start() throws Exception {
        sandbox = Sandbox.start(0, 0, 0, VerificationPolicy.manual(), "dkim.amazonses.com", "ap-southeast-1");
        checker = DnsRecordChecker.forServer("127.0.0.1", sandbox.dns().port(), TIMEOUT);
        // the module's records for the sender, with the tokens the SES stub hands out
        Sender sender = new Sender("org-1", "news@" + DOMAIN, DOMAIN);
        sender.setVerificationToken(SesStub.verificationTokenFor(DOMAIN));
        sender.setDkimTokens(SesStub.dkimTokensFor(DOMAIN));
        records = DnsRecords.of(sender, DOMAIN, "dkim.amazonses.com", "ap-southeast-1");
        assertThat(records).extracting(DnsRecord::purpose)
                .containsExactly("Domain verification", "DKIM", "DKIM", "DKIM", "SPF", "DMARC");
        // the module asks SES to verify the domain: the stub serves its zone from then on
        sesCall("Action=VerifyDomainIdentity&Domain=" + DOMAIN);
        sesCall("Action=VerifyDomainDkim&Domain=" + DOMAIN);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void beforeSesVerifiesTheDomainEveryRecordIsMissingNotUnknown() {
        assertThat(checker.check(records)).allSatisfy(check -> {
            assertThat(check.status()).as(check.record().name()).isIn(RecordStatus.MISSING, RecordStatus.WARNING);
            assertThat(check.diagnosis()).isIn(Diagnosis.NOT_FOUND, Diagnosis.SPF_MISSING, Diagnosis.DMARC_MISSING);
        });
    }

    @Test
    void onceSesHasVerifiedTheDomainEveryRecordIsFound() {
        sandbox.ses().verifyDomain(DOMAIN);

        assertThat(checker.check(records)).allSatisfy(check ->
                assertThat(check.status()).as(check.record().name() + " " + check.advice()).isEqualTo(RecordStatus.FOUND));
        assertThat(sandbox.dnsPublisher().state(DOMAIN).orElseThrow().publication()).isEqualTo(Publication.CORRECT);
    }

    @Test
    void aVerificationThatTheStubDecidesByItselfPublishesTooAsSoonAsTheModuleReadsIt() throws Exception {
        sandbox.ses().verificationPolicy(VerificationPolicy.afterDelay(Duration.ZERO));
        sesCall("Action=GetIdentityVerificationAttributes&Identities.member.1=" + DOMAIN);

        assertThat(checker.check(records.get(0)).status()).isEqualTo(RecordStatus.FOUND);
    }

    @Test
    void theZoneTypedTwiceIsDiagnosedWithTheNameWhereTheRecordsAre() throws Exception {
        control("{\"domain\":\"" + DOMAIN + "\",\"publication\":\"zone-doubled\"}");

        List<RecordCheck> checks = checker.check(records);
        assertThat(checks).allSatisfy(check ->
                assertThat(check.diagnosis()).as(check.record().name()).isEqualTo(Diagnosis.ZONE_APPENDED_TWICE));
        assertThat(checks.get(0).status()).isEqualTo(RecordStatus.MISSING);
        assertThat(checks.get(0).advice()).contains("_amazonses." + DOMAIN + "." + DOMAIN);
    }

    @Test
    void proxiedDkimNamesAreDiagnosedAsCloudflaresProxyAndTheRestStaysFound() throws Exception {
        control("{\"domain\":\"" + DOMAIN + "\",\"publication\":\"proxied-dkim\"}");

        List<RecordCheck> checks = checker.check(records);
        assertThat(checks).filteredOn(c -> c.record().purpose().equals("DKIM")).hasSize(3).allSatisfy(check -> {
            assertThat(check.status()).isEqualTo(RecordStatus.MISMATCH);
            assertThat(check.diagnosis()).isEqualTo(Diagnosis.CLOUDFLARE_PROXIED);
            assertThat(check.found()).containsExactly("A 192.0.2.10", "A 192.0.2.11");
        });
        assertThat(checks).filteredOn(c -> !c.record().purpose().equals("DKIM"))
                .extracting(RecordCheck::status).containsOnly(RecordStatus.FOUND);
    }

    @Test
    void followingSesAgainAfterAMistakePublishesTheRecordsSesVerified() throws Exception {
        sandbox.ses().verifyDomain(DOMAIN);
        control("{\"domain\":\"" + DOMAIN + "\",\"publication\":\"nothing\"}");
        assertThat(checker.check(records.get(0)).status()).isEqualTo(RecordStatus.MISSING);

        control("{\"domain\":\"" + DOMAIN + "\",\"publication\":\"ses\"}");
        assertThat(checker.check(records).stream().map(RecordCheck::status)).containsOnly(RecordStatus.FOUND);
    }

    @Test
    void theOwnershipRecordIsTheOrganizationsToPublishByHand() throws Exception {
        sandbox.ses().verifyDomain(DOMAIN);
        Sender shared = new Sender("org-2", "hello@" + DOMAIN, DOMAIN);
        shared.setOwnershipToken("own-token-2");
        shared.setOwnershipRequired(true);
        DnsRecord ownership = DnsRecords.of(shared, DOMAIN, "dkim.amazonses.com", "ap-southeast-1").stream()
                .filter(r -> r.purpose().equals("Ownership")).findFirst().orElseThrow();
        assertThat(checker.check(ownership).status()).isEqualTo(RecordStatus.MISSING);

        HttpResponse<String> form = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        sandbox.dnsPage().resolve("/_stub/dns/records"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=" + ownership.name() + "&type=TXT&value="
                        + ownership.value())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).as("back to the page").isEqualTo(303);
        assertThat(checker.check(ownership).status()).isEqualTo(RecordStatus.FOUND);
    }

    @Test
    void theServerAnswersAsAnAuthoritativeServerDoesOverUdpAndTcp() throws Exception {
        sandbox.ses().verifyDomain(DOMAIN);
        for (boolean tcp : new boolean[] {false, true}) {
            SimpleResolver resolver = new SimpleResolver(sandbox.dns().address().split(":")[0]);
            resolver.setPort(sandbox.dns().port());
            resolver.setTCP(tcp);
            resolver.setTimeout(TIMEOUT);

            Message txt = resolver.send(query("_amazonses." + DOMAIN, Type.TXT));
            assertThat(txt.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(txt.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(txt.getSection(Section.ANSWER)).hasSize(1);

            Message nodata = resolver.send(query("_amazonses." + DOMAIN, Type.MX));
            assertThat(nodata.getRcode()).as("the name exists: NODATA").isEqualTo(Rcode.NOERROR);
            assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
            assertThat(nodata.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);

            Message ent = resolver.send(query("_domainkey." + DOMAIN, Type.TXT));
            assertThat(ent.getRcode()).as("names below it exist: NODATA").isEqualTo(Rcode.NOERROR);

            Message nx = resolver.send(query("nothing-here." + DOMAIN, Type.TXT));
            assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(nx.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);

            Message cnameForA = resolver.send(query(SesStub.dkimTokensFor(DOMAIN).get(0) + "._domainkey." + DOMAIN,
                    Type.A));
            assertThat(cnameForA.getSection(Section.ANSWER)).extracting(Record::getType)
                    .as("the CNAME; its target is not ours to follow").containsExactly(Type.CNAME);

            Message elsewhere = resolver.send(query("example.org", Type.A));
            assertThat(elsewhere.getRcode()).as("not its zone").isEqualTo(Rcode.REFUSED);
        }
    }

    @Test
    void anAnswerTooLargeForUdpIsTruncatedAndComesWholeOverTcp() throws Exception {
        LoopbackZones zones = sandbox.dns().zones();
        for (int i = 0; i < 40; i++) {
            zones.add("manual", dev.senders.sandbox.dns.DomainRecords.txt(LoopbackZones.name("big." + DOMAIN),
                    "v=verification-" + i + "-" + "x".repeat(60)));
        }
        SimpleResolver udp = new SimpleResolver("127.0.0.1");
        udp.setPort(sandbox.dns().port());
        udp.setIgnoreTruncation(true);
        udp.setEDNS(-1);
        Message truncated = udp.send(query("big." + DOMAIN, Type.TXT));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();

        SimpleResolver tcp = new SimpleResolver("127.0.0.1");
        tcp.setPort(sandbox.dns().port());
        tcp.setTCP(true);
        assertThat(tcp.send(query("big." + DOMAIN, Type.TXT)).getSection(Section.ANSWER)).hasSize(40);
    }

    private static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
    }

    private void sesCall(String form) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sandbox.ses().endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private void control(String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sandbox.dnsPage())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
