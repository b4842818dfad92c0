package dev.senders.api.sending;

/**
 * A provider's sending limits as the module enforces them, across the whole platform (every thread, campaign and
 * cluster member shares one budget per provider account).
 *
 * @param maxPerSecond the messages per second the module lets through (after headroom)
 * @param maxBatchSize the most messages one batch call may carry
 * @param dailyQuota   the provider's 24-hour quota, or -1 when unknown or unlimited
 */
public record RateLimits(double maxPerSecond, int maxBatchSize, double dailyQuota) {
}
