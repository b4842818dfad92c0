package dev.senders.infrastructure.ses;

import java.util.Locale;
import java.util.Set;

/**
 * The host that Easy DKIM CNAME records point to. The regions SES served before 2020 share {@code dkim.amazonses.com};
 * regions opened since then publish their keys under {@code dkim.<region>.amazonses.com}. A region not in the first
 * list gets the regional form. Override with {@code senders.ses.dkim-domain} if AWS documents otherwise.
 */
public final class DkimDomains {

    static final String GLOBAL = "dkim.amazonses.com";

    private static final Set<String> GLOBAL_REGIONS = Set.of(
            "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
            "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
            "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2",
            "sa-east-1", "me-south-1", "us-gov-west-1");

    private DkimDomains() {
    }

    public static String forRegion(String region) {
        String r = region.trim().toLowerCase(Locale.ROOT);
        return GLOBAL_REGIONS.contains(r) ? GLOBAL : "dkim." + r + ".amazonses.com";
    }
}
