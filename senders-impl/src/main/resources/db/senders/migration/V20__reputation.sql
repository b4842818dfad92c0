-- Issue 17, part 1: the reputation guard. Resend's webhook events beside SNS's, the organizations' bounce and
-- complaint rates per provider, and the pause that the send path's claim statement reads.

-- Every Resend webhook message the module accepted, once (Svix's message id, the svix-id header): a redelivery
-- inserts nothing ("on conflict do nothing") and so changes nothing, like senders_sns_messages.
create table senders_resend_messages (
    svix_id        varchar(100) primary key,
    -- Resend's event type: email.bounced, email.complained, ...
    type           varchar(40)  not null,
    -- data.email_id: Resend's id of the email, as the module recorded it at send time (senders_sends.message_id)
    email_id       varchar(255),
    svix_timestamp timestamptz  not null,
    received_at    timestamptz  not null default now()
);
create index senders_resend_messages_received_idx on senders_resend_messages (received_at);

-- An event comes from SES (through SNS: sns_message_id) or from Resend (resend_message_id); ses_message_id holds the
-- provider's message id either way (for Resend, its email id). Existing rows are SES's.
alter table senders_email_events alter column sns_message_id drop not null;
alter table senders_email_events add column provider varchar(20) not null default 'ses';
alter table senders_email_events add column resend_message_id varchar(100)
    references senders_resend_messages (svix_id);
alter table senders_email_events add constraint senders_email_events_provider_check
    check ((provider = 'ses' and sns_message_id is not null and resend_message_id is null)
        or (provider = 'resend' and resend_message_id is not null and sns_message_id is null));
create index senders_email_events_resend_idx on senders_email_events (resend_message_id)
    where resend_message_id is not null;

-- The reputation counts read an organization's bounces and complaints by the time they arrived.
create index senders_email_events_reputation_idx on senders_email_events (organization_id, created_at)
    where event_type in ('bounce', 'complaint');

-- 'paused': not sent because the organization's sending is paused (its reputation); like 'suppressed', a later
-- attempt with the same idempotency key may claim it again
alter table senders_sends drop constraint senders_sends_status_check;
alter table senders_sends add constraint senders_sends_status_check
    check (status in ('sending', 'sent', 'failed', 'suppressed', 'unknown', 'paused'));

-- Counts of an organization's sends, permanent bounces and complaints per provider in 15-minute buckets, filled once
-- a bucket is over (and settled): the rates over the window add at most 672 rows per provider to a count of the
-- open tail, instead of reading every send of the window. Buckets older than the window are deleted.
create table senders_reputation_counts (
    organization_id   varchar(255) not null,
    provider          varchar(20)  not null check (provider in ('ses', 'resend')),
    bucket_start      timestamptz  not null,
    sends             bigint       not null default 0,
    permanent_bounces bigint       not null default 0,
    complaints        bigint       not null default 0,
    primary key (organization_id, bucket_start, provider)
);

-- One row per organization that had a bounce or complaint: its state and why. The claim statement of every send
-- reads it by primary key ("paused"): a pause holds on every instance from the next send.
create table senders_reputation (
    organization_id varchar(255) primary key,
    state           varchar(20)  not null check (state in ('ok', 'warning', 'paused')),
    -- the buckets before it are in senders_reputation_counts
    counted_until   timestamptz  not null,
    -- the last resume by a platform admin: nothing before it counts (null: the whole window counts)
    counting_since  timestamptz,
    -- what put the organization in its state (null when ok): provider, rate (bounce | complaint), its value
    cause_provider  varchar(20),
    cause_rate      varchar(20) check (cause_rate in ('bounce', 'complaint')),
    cause_value     double precision,
    state_since     timestamptz  not null default now(),
    evaluated_at    timestamptz  not null default now()
);
create index senders_reputation_state_idx on senders_reputation (state) where state <> 'ok';
