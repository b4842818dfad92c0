package dev.senders.sandbox;

import dev.senders.sandbox.dns.LoopbackDnsServer;
import dev.senders.sandbox.dns.LoopbackZones;
import dev.senders.sandbox.dns.SesDomainPublisher;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * Both stubs and a DNS zone together, for the offline demo and for tests.
 *
 * <pre>
 *   java -cp senders-sandbox.jar:jakarta.json-api.jar:parsson.jar:dnsjava.jar dev.senders.sandbox.Sandbox [sesPort [resendPort]]
 * </pre>
 *
 * Ports come from the arguments, else the system properties {@code sandbox.ses.port} /
 * {@code sandbox.resend.port} / {@code sandbox.dns.port}, else 0 (ephemeral). Other system properties:
 * {@code sandbox.ses.verifyAfter} (ISO-8601 duration, default {@code PT10S}: domains and DKIM verify
 * that long after they are requested; {@code manual} for control-API only), {@code sandbox.resend.apiKey}
 * (only key accepted; default: any), {@code sandbox.realistic} (default true: SES max send rate and the
 * Resend 2 requests/s limit are enforced), {@code sandbox.dkimDomain} and {@code sandbox.region} (the DKIM host and
 * SES region of the published records; defaults {@value #DKIM_DOMAIN}, {@value #REGION}).
 * <p>
 * The DNS server ({@link #dns()}, 127.0.0.1, UDP and TCP) serves a zone for every domain the SES stub is asked to
 * verify and publishes the domain's records once the stub has verified it ({@link SesDomainPublisher}); the SES
 * stub's {@code /_stub/dns} page shows them and publishes common mistakes. Point the module at it with
 * {@code senders.dns.servers=}{@link LoopbackDnsServer#address()}.
 */
public final class Sandbox implements AutoCloseable {
    /** The DKIM host of the regions SES served before 2020 (the module's default region among them). */
    public static final String DKIM_DOMAIN = "dkim.amazonses.com";
    /** The module's default SES region. */
    public static final String REGION = "ap-southeast-1";

    private final SesStub ses;
    private final ResendStub resend;
    private final LoopbackDnsServer dns;
    private final SesDomainPublisher publisher;

    private Sandbox(SesStub ses, ResendStub resend, LoopbackDnsServer dns, SesDomainPublisher publisher) {
        this.ses = ses;
        this.resend = resend;
        this.dns = dns;
        this.publisher = publisher;
    }

    /** Starts both stubs and the DNS server (0 = ephemeral port); SES identities follow {@code policy}. */
    public static Sandbox start(int sesPort, int resendPort, VerificationPolicy policy) {
        return start(sesPort, resendPort, 0, policy, DKIM_DOMAIN, REGION);
    }

    /**
     * @param dkimDomain the host the published DKIM CNAMEs point to: the module's {@code senders.ses.dkim-domain}
     * @param region     the SES region the module uses (a custom MAIL FROM's MX)
     */
    public static Sandbox start(int sesPort, int resendPort, int dnsPort, VerificationPolicy policy,
                                String dkimDomain, String region) {
        SesStub ses = SesStub.start(sesPort, Objects.requireNonNull(policy, "policy"));
        ResendStub resend = null;
        LoopbackDnsServer dns = null;
        try {
            resend = ResendStub.start(resendPort);
            dns = LoopbackDnsServer.start(dnsPort, new LoopbackZones());
            SesDomainPublisher publisher = new SesDomainPublisher(dns.zones(), dkimDomain, region);
            ses.onDomainChange(publisher);
            ses.addControl(new DnsControlPage(dns, publisher));
            return new Sandbox(ses, resend, dns, publisher);
        } catch (RuntimeException e) {
            if (dns != null) {
                dns.close();
            }
            if (resend != null) {
                resend.close();
            }
            ses.close();
            throw e;
        }
    }

    /** Starts both stubs on ephemeral ports; SES identities verify after 10 seconds. */
    public static Sandbox start() {
        return start(0, 0, VerificationPolicy.afterDelay(Duration.ofSeconds(10)));
    }

    public SesStub ses() {
        return ses;
    }

    public ResendStub resend() {
        return resend;
    }

    /** The loopback DNS server: {@code senders.dns.servers=}{@code dns().address()}. */
    public LoopbackDnsServer dns() {
        return dns;
    }

    /** What the DNS zone publishes for the SES stub's domains; the control page's buttons call it. */
    public SesDomainPublisher dnsPublisher() {
        return publisher;
    }

    /** The page that shows the DNS zone and publishes common mistakes. */
    public URI dnsPage() {
        return ses.endpoint().resolve("/_stub/" + DnsControlPage.PATH);
    }

    @Override
    public void close() {
        try {
            resend.close();
        } finally {
            try {
                dns.close();
            } finally {
                ses.close();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int sesPort = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("sandbox.ses.port", 0);
        int resendPort = args.length > 1 ? Integer.parseInt(args[1]) : Integer.getInteger("sandbox.resend.port", 0);
        int dnsPort = Integer.getInteger("sandbox.dns.port", 0);
        String verifyAfter = System.getProperty("sandbox.ses.verifyAfter", "PT10S");
        VerificationPolicy policy = verifyAfter.equalsIgnoreCase("manual") ? VerificationPolicy.manual()
                : VerificationPolicy.afterDelay(Duration.parse(verifyAfter));
        boolean realistic = Boolean.parseBoolean(System.getProperty("sandbox.realistic", "true"));

        Sandbox sandbox = start(sesPort, resendPort, dnsPort, policy,
                System.getProperty("sandbox.dkimDomain", DKIM_DOMAIN), System.getProperty("sandbox.region", REGION));
        sandbox.ses().enforceMaxSendRate(realistic);
        sandbox.resend().enforceRateLimit(realistic).expectApiKey(System.getProperty("sandbox.resend.apiKey"));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));

        System.out.println("SES stub     " + sandbox.ses().endpoint() + "   (identities verify: " + policy + ")");
        System.out.println("Resend stub  " + sandbox.resend().endpoint());
        System.out.println("DNS          " + sandbox.dns().address() + "   (zone: " + sandbox.dnsPage() + ")");
        System.out.println("Sent mail    Amazon SES: " + sandbox.ses().mailViewer() + "   Resend: "
                + sandbox.resend().mailViewer());
        System.out.println("Control      " + sandbox.ses().endpoint().resolve("/_stub/") + "   and   "
                + sandbox.resend().endpoint().resolve("/_stub/"));
        System.out.println("Ctrl-C stops.");
        System.out.flush();
        stopped.await();
    }
}
