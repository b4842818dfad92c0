-- Issue 16: addresses differing only in the case of the local part (NEWS@acme.io, news@acme.io) are one sender of
-- the organization. The address is stored as first typed; uniqueness ignores case.
--
-- Senders that an earlier version let in twice with different case are kept (a sender may be a default, carry a MAIL
-- FROM domain or be in a campaign's use): the oldest of each group stays under the new index, the later ones are
-- marked and left out of it. The application refuses a new spelling of any of them.
alter table senders add column case_duplicate boolean not null default false;

update senders s set case_duplicate = true
 where exists (select 1 from senders o
                where o.organization_id = s.organization_id
                  and lower(o.email_address) = lower(s.email_address)
                  and o.id < s.id);

create unique index senders_org_email_ci_unique on senders (organization_id, lower(email_address))
    where not case_duplicate;
