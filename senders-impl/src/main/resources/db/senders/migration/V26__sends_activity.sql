-- Issue 18: the Emails (activity) page reads an organization's sends newest first, 20 at a time, by keyset
-- ((created_at, id) below the last row shown), optionally only one status, one campaign or recipients starting with
-- what was typed. Each of these is an index range read in the page's order, so a page costs the same with a million
-- sends in the table (figures in the issue's report; the provider filter reads the first index and skips the other
-- provider's rows).
create index senders_sends_org_created_idx on senders_sends (organization_id, created_at desc, id desc);
create index senders_sends_org_status_created_idx on senders_sends (organization_id, status, created_at desc, id desc);
create index senders_sends_org_campaign_created_idx on senders_sends (organization_id, campaign_id, created_at desc, id desc)
    where campaign_id is not null;
-- "starts with" on the recipient (case-insensitive): a LIKE 'prefix%' range needs the pattern operator class unless
-- the database's collation is C
create index senders_sends_org_recipient_prefix_idx on senders_sends (organization_id, lower(recipient) text_pattern_ops);
