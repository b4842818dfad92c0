package dev.senders.host.campaigns;

/** A campaign request the host refuses, with the HTTP status its API answers and a message for people. */
public class CampaignException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public CampaignException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static CampaignException invalid(String message) {
        return new CampaignException(400, message);
    }

    static CampaignException notFound() {
        return new CampaignException(404, "No such campaign");
    }
}
