package dev.senders.sandbox;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * Both stubs together, for the offline demo and for tests.
 *
 * <pre>
 *   java -cp senders-sandbox.jar:jakarta.json-api.jar:parsson.jar dev.senders.sandbox.Sandbox [sesPort [resendPort]]
 * </pre>
 *
 * Ports come from the arguments, else the system properties {@code sandbox.ses.port} /
 * {@code sandbox.resend.port}, else 0 (ephemeral). Other system properties:
 * {@code sandbox.ses.verifyAfter} (ISO-8601 duration, default {@code PT10S}: domains and DKIM verify
 * that long after they are requested; {@code manual} for control-API only), {@code sandbox.resend.apiKey}
 * (only key accepted; default: any), {@code sandbox.realistic} (default true: SES max send rate and the
 * Resend 2 requests/s limit are enforced).
 */
public final class Sandbox implements AutoCloseable {
    private final SesStub ses;
    private final ResendStub resend;

    private Sandbox(SesStub ses, ResendStub resend) {
        this.ses = ses;
        this.resend = resend;
    }

    /** Starts both stubs (0 = ephemeral port); SES identities follow {@code policy}. */
    public static Sandbox start(int sesPort, int resendPort, VerificationPolicy policy) {
        SesStub ses = SesStub.start(sesPort, Objects.requireNonNull(policy, "policy"));
        try {
            return new Sandbox(ses, ResendStub.start(resendPort));
        } catch (RuntimeException e) {
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

    @Override
    public void close() {
        try {
            resend.close();
        } finally {
            ses.close();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int sesPort = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("sandbox.ses.port", 0);
        int resendPort = args.length > 1 ? Integer.parseInt(args[1]) : Integer.getInteger("sandbox.resend.port", 0);
        String verifyAfter = System.getProperty("sandbox.ses.verifyAfter", "PT10S");
        VerificationPolicy policy = verifyAfter.equalsIgnoreCase("manual") ? VerificationPolicy.manual()
                : VerificationPolicy.afterDelay(Duration.parse(verifyAfter));
        boolean realistic = Boolean.parseBoolean(System.getProperty("sandbox.realistic", "true"));

        Sandbox sandbox = start(sesPort, resendPort, policy);
        sandbox.ses().enforceMaxSendRate(realistic);
        sandbox.resend().enforceRateLimit(realistic).expectApiKey(System.getProperty("sandbox.resend.apiKey"));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));

        System.out.println("SES stub     " + sandbox.ses().endpoint() + "   (identities verify: " + policy + ")");
        System.out.println("Resend stub  " + sandbox.resend().endpoint());
        System.out.println("Sent mail    " + sandbox.ses().mailViewer() + "   and   " + sandbox.resend().mailViewer());
        System.out.println("Control      " + sandbox.ses().endpoint().resolve("/_stub/") + "   and   "
                + sandbox.resend().endpoint().resolve("/_stub/"));
        System.out.println("Ctrl-C stops.");
        System.out.flush();
        stopped.await();
    }
}
