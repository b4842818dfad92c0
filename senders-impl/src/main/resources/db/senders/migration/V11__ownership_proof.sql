-- Issue 16: an organization becomes verified on a domain only on proof it made itself whenever another organization
-- holds a sender on that domain, a parent of it or a subdomain of it at the time of the check. ownership_verified_at
-- now records either proof: the organization's own TXT record _senders-verification.<domain> was found, or SES
-- verified the domain while the organization held it alone (a latecomer then does not downgrade it).

-- Subdomains of a domain are found through the reversed name (every subdomain of acme.com, reversed, starts with
-- 'moc.emca.'), so the check reads a few index entries whatever the size of the table.
create index senders_domain_reversed_idx on senders (reverse(domain) text_pattern_ops);

-- Senders verified before this rule: one verified while no other organization on its domain family had proven
-- ownership keeps its status (as if it had been alone); one verified beside another organization that did prove it
-- (the squatting this migration closes) must now prove ownership itself at its next check.
update senders s
   set ownership_verified_at = coalesce(s.last_verified_at, s.updated_at)
 where s.verification_status = 'verified'
   and s.ownership_verified_at is null
   and not exists (
       select 1 from senders o
        where o.organization_id <> s.organization_id
          and o.ownership_verified_at is not null
          and (o.domain = s.domain
               or right(s.domain, length(o.domain) + 1) = '.' || o.domain
               or right(o.domain, length(s.domain) + 1) = '.' || s.domain));

-- The others (verified beside an organization that proved ownership, without proof of their own) are verifying
-- again until they publish their own record: the background sweep re-checks them, and they are no default.
update senders s
   set verification_status = 'verifying',
       is_default = false,
       ownership_required = true,
       verification_error = 'Another organization also uses ' || s.domain
           || '; publish this organization''s TXT record _senders-verification.' || s.domain
 where s.verification_status = 'verified'
   and s.ownership_verified_at is null;
