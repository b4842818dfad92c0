-- Issue 17, part 3: one-click unsubscribe (RFC 8058).

-- A recipient who used the unsubscribe link of an organization's email is suppressed for that organization.
alter table senders_suppressions drop constraint senders_suppressions_type_check;
alter table senders_suppressions add constraint senders_suppressions_type_check
    check (type in ('bounce', 'complaint', 'unsubscribed'));

-- Whether the message carried the module's List-Unsubscribe and List-Unsubscribe-Post fields (written with the
-- outcome by the send path's record statement), for "one-click unsubscribe in use" in the readiness checklist.
alter table senders_sends add column list_unsubscribe boolean not null default false;
