-- Tenant-safe domains: an SES identity belongs to the whole AWS account, so an organization whose domain (or a
-- parent or subdomain of it) is also claimed by another organization must publish its own ownership TXT record.
alter table senders add column ownership_token varchar(64);
alter table senders add column ownership_required boolean not null default false;
alter table senders add column ownership_verified_at timestamptz;
