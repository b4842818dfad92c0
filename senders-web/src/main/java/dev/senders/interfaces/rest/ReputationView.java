package dev.senders.interfaces.rest;

import dev.senders.application.reputation.ProviderRates;
import dev.senders.application.reputation.Reputation;
import dev.senders.application.reputation.ReputationEvent;
import dev.senders.application.reputation.Thresholds;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An organization's reputation as JSON (rates are fractions: 0.02 = 2%):
 * <pre>
 * {"state": "paused", "stateSince": "...", "evaluatedAt": "...",
 *  "cause": {"provider": "ses", "rate": "bounce", "value": 0.05, "threshold": 0.04},      null when ok
 *  "window": {"start": "...", "end": "...", "length": "P7D", "countingSince": null},
 *  "minSends": 500,
 *  "thresholds": {"bounce": {"warning": 0.02, "pause": 0.04}, "complaint": {"warning": 0.0005, "pause": 0.0008}},
 *  "providers": [{"provider": "ses", "sends": 1000, "permanentBounces": 50, "complaints": 0, "bounceRate": 0.05,
 *                 "complaintRate": 0.0, "minimumMet": true, "level": "paused"}, {"provider": "resend", ...}],
 *  "events": [{"rate": "bounce", "provider": "ses", "recipient": "...", "campaignId": "41", "detail": "...",
 *              "occurredAt": "...", "receivedAt": "..."}]}                            newest first
 * </pre>
 */
final class ReputationView {

    private ReputationView() {
    }

    static JsonObject of(Reputation r, Duration window, List<ReputationEvent> events) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("state", r.state().wire());
        time(json, "stateSince", r.stateSince());
        time(json, "evaluatedAt", r.evaluatedAt());
        if (r.cause() == null) {
            json.addNull("cause");
        } else {
            json.add("cause", Json.createObjectBuilder()
                    .add("provider", r.cause().provider().wire())
                    .add("rate", r.cause().rate().wire())
                    .add("value", r.cause().value())
                    .add("threshold", r.cause().threshold()));
        }
        JsonObjectBuilder windowJson = Json.createObjectBuilder()
                .add("start", r.windowStart().toString())
                .add("end", r.countedAt().toString())
                .add("length", window.toString());
        time(windowJson, "countingSince", r.countingSince());
        json.add("window", windowJson);
        json.add("minSends", r.minSends());
        Thresholds t = r.thresholds();
        json.add("thresholds", Json.createObjectBuilder()
                .add("bounce", Json.createObjectBuilder().add("warning", t.bounceWarning()).add("pause", t.bouncePause()))
                .add("complaint", Json.createObjectBuilder().add("warning", t.complaintWarning())
                        .add("pause", t.complaintPause())));
        JsonArrayBuilder providers = Json.createArrayBuilder();
        for (ProviderRates p : r.providers()) {
            providers.add(Json.createObjectBuilder()
                    .add("provider", p.provider().wire())
                    .add("sends", p.sends())
                    .add("permanentBounces", p.permanentBounces())
                    .add("complaints", p.complaints())
                    .add("bounceRate", p.bounceRate())
                    .add("complaintRate", p.complaintRate())
                    .add("minimumMet", p.minimumMet())
                    .add("level", p.level().wire()));
        }
        json.add("providers", providers);
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (ReputationEvent e : events) {
            JsonObjectBuilder event = Json.createObjectBuilder()
                    .add("rate", e.rate().wire())
                    .add("provider", e.provider().wire());
            text(event, "recipient", e.recipient());
            text(event, "campaignId", e.campaignId());
            text(event, "detail", e.detail());
            time(event, "occurredAt", e.occurredAt());
            time(event, "receivedAt", e.receivedAt());
            list.add(event);
        }
        json.add("events", list);
        return json.build();
    }

    private static void time(JsonObjectBuilder json, String key, Instant value) {
        if (value == null) {
            json.addNull(key);
        } else {
            json.add(key, value.toString());
        }
    }

    private static void text(JsonObjectBuilder json, String key, String value) {
        if (value == null) {
            json.addNull(key);
        } else {
            json.add(key, value);
        }
    }
}
