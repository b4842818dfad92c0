-- Issue 18: deleting a sender hides it and stops its use at once, and it stays restorable for a while
-- (senders.deletion.restore-window, P7D); the background job then deletes it for good (and the SES identity when no
-- sender of any organization uses the domain any more).
alter table senders add column deleted_at timestamptz;
-- whether it was the organization's default when deleted (restored as the default when no other one was set since)
alter table senders add column default_when_deleted boolean not null default false;
-- a deleted sender is never the default
alter table senders add constraint senders_deleted_not_default_check check (not (is_default and deleted_at is not null));
create index senders_deleted_idx on senders (deleted_at) where deleted_at is not null;
