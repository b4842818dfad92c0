-- Issue 16: an organization's own sends of the last 24 hours (GET /api/senders/account) without reading the table.
create index senders_sends_org_updated on senders_sends (organization_id, updated_at);
