-- Issue 15: a claim before every provider call. Each (organization, idempotency key) is claimed ('sending', with the
-- claimant's token and time) by one statement per batch before anything is sent; the outcome replaces the claim.
-- request_key names the provider request the message went out in (Resend: the request's Idempotency-Key; SES: the
-- block of calls), written before the request leaves: a claim left without an outcome (a crash) and with a request
-- key may have reached the provider, one without never did. request_size: the messages that request carried.
alter table senders_sends add column claim_token varchar(64);
alter table senders_sends add column claimed_at timestamptz;
alter table senders_sends add column request_key varchar(128);
alter table senders_sends add column request_size integer;

-- 'unknown': the provider may or may not have accepted the message (its answer was lost) and it is not sent again
alter table senders_sends drop constraint senders_sends_status_check;
alter table senders_sends add constraint senders_sends_status_check
    check (status in ('sending', 'sent', 'failed', 'suppressed', 'unknown'));
