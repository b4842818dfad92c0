-- Which organizations are sending through each provider rate bucket right now: a heartbeat per organization, written
-- at most once a second by each instance while it sends for that organization. The rate limiter caps an organization
-- at its share of the provider's rate only while another organization is sending through the same bucket; alone, it
-- may use the whole rate. Ephemeral state like the buckets themselves, so unlogged.
create unlogged table senders_rate_activity (
    bucket          text        not null,
    organization_id text        not null,
    seen_at         timestamptz not null,
    primary key (bucket, organization_id)
);
