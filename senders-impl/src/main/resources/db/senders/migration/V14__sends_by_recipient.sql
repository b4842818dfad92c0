-- Issue 16: an organization sees a platform-wide suppression only for an address it has sent to (or asks about
-- exactly); the suppression list checks that through this index of the organization's own send records.
create index senders_sends_org_recipient_idx on senders_sends (organization_id, lower(recipient));
